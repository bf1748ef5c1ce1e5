// A tiny authoritative DNS responder on 127.0.0.53:53 (UDP and TCP) plus a client using Node's own resolver
// (c-ares), so the packets on the wire are real DNS. A TXT answer is truncated over UDP so the resolver
// retries over TCP by itself.
import dgram from 'node:dgram';
import net from 'node:net';
import { Resolver } from 'node:dns/promises';
import { parseArgs, assertLoopback } from './args.mjs';

const args = parseArgs(process.argv.slice(2));
const host = assertLoopback(args.host ?? '127.0.0.53');
const port = Number(args.port ?? 53);

const A = 1, CNAME = 5, TXT = 16, AAAA = 28;
// The zone: the ground truth the manifest repeats.
const zone = {
  'mcp.notion.com': [[A, '127.0.0.31']],
  'mcp.linear.app': [[A, '127.0.0.32'], [AAAA, '::1']],
  'mcp.acme-internal.example': [[A, '127.0.0.33'], [TXT, 'mcp-endpoint=https://mcp.acme-internal.example/api/agent-tools; owner=platform-team; '.repeat(8)]],
  'mcp.atlassian.com': [[CNAME, 'edge.mcp-atlassian.example']],
  'edge.mcp-atlassian.example': [[A, '127.0.0.34']],
  'www.example.com': [[A, '127.0.0.41']],
  'api.github.com': [[A, '127.0.0.42']],
};

function readName(buf, off) {
  const labels = [];
  while (buf[off] !== 0) { labels.push(buf.toString('ascii', off + 1, off + 1 + buf[off])); off += buf[off] + 1; }
  return { name: labels.join('.').toLowerCase(), end: off + 1 };
}

function encodeName(name) {
  return Buffer.concat([...name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

function rdata(type, value) {
  if (type === A) return Buffer.from(value.split('.').map(Number));
  if (type === AAAA) return Buffer.from([...Array(15).fill(0), 1]); // the zone only serves ::1
  if (type === CNAME) return encodeName(value);
  const strings = [];
  for (let i = 0; i < value.length; i += 255) { const s = Buffer.from(value.slice(i, i + 255), 'ascii'); strings.push(Buffer.from([s.length]), s); }
  return Buffer.concat(strings);
}

function answer(query, overUdp) {
  const { name, end } = readName(query, 12);
  const qtype = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const records = [];
  let owner = name;
  for (let hop = 0; hop < 4 && zone[owner]; hop++) {
    const cname = zone[owner].find(([t]) => t === CNAME);
    for (const [t, v] of zone[owner]) if (t === qtype || t === CNAME) records.push([owner, t, v]);
    if (!cname || qtype === CNAME) break;
    owner = cname[1];
  }
  const known = zone[name] !== undefined;
  const parts = records.map(([o, t, v]) => {
    const data = rdata(t, v);
    const head = Buffer.alloc(10);
    head.writeUInt16BE(t, 0); head.writeUInt16BE(1, 2); head.writeUInt32BE(300, 4); head.writeUInt16BE(data.length, 8);
    return Buffer.concat([o === name ? Buffer.from([0xc0, 0x0c]) : encodeName(o), head, data]);
  });
  let body = Buffer.concat(parts);
  const truncate = overUdp && 12 + question.length + body.length > 512;
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | (truncate ? 0x0200 : 0) | (known ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(truncate ? 0 : records.length, 6);
  if (truncate) body = Buffer.alloc(0);
  return Buffer.concat([header, question, body]);
}

const udp = dgram.createSocket('udp4');
udp.on('message', (msg, rinfo) => udp.send(answer(msg, true), rinfo.port, rinfo.address));
await new Promise((r) => udp.bind(port, host, r));

const tcp = net.createServer((socket) => {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
      const len = pending.readUInt16BE(0);
      const reply = answer(pending.subarray(2, 2 + len), false);
      const prefix = Buffer.alloc(2); prefix.writeUInt16BE(reply.length);
      socket.write(Buffer.concat([prefix, reply]));
      pending = pending.subarray(2 + len);
    }
  });
  socket.on('error', () => {});
});
await new Promise((r) => tcp.listen(port, host, r));

const resolver = new Resolver({ timeout: 2000, tries: 1 });
resolver.setLocalAddress('127.0.0.1');
resolver.setServers([`${host}:${port}`]);
const results = {};
const ask = async (label, fn) => { try { results[label] = await fn(); } catch (e) { results[label] = e.code; } };
await ask('A mcp.notion.com', () => resolver.resolve4('mcp.notion.com'));
await ask('A mcp.linear.app', () => resolver.resolve4('mcp.linear.app'));
await ask('AAAA mcp.linear.app', () => resolver.resolve6('mcp.linear.app'));
await ask('A mcp.atlassian.com', () => resolver.resolve4('mcp.atlassian.com'));
await ask('A www.example.com', () => resolver.resolve4('www.example.com'));
await ask('A api.github.com', () => resolver.resolve4('api.github.com'));
await ask('A mcp.acme-internal.example', () => resolver.resolve4('mcp.acme-internal.example'));
await ask('TXT mcp.acme-internal.example (UDP truncated, TCP retry)', async () => (await resolver.resolveTxt('mcp.acme-internal.example')).map((t) => t.join('').length + ' chars'));
await ask('A nothing-here.example', () => resolver.resolve4('nothing-here.example'));
console.log('RESULT ' + JSON.stringify(results));
udp.close();
tcp.close();
