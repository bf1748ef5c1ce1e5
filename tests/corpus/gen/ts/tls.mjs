// Real TLS handshakes on loopback so ClientHellos carry SNI and ALPN. One TLS server per loopback address
// (matching the corpus DNS zone); clients connect with the server names given.
// --target ADDR:PORT:SNI[:ALPN1,ALPN2] (repeatable via comma-free list in --targets, ';' separated)
// --split BYTES  write each TLS record in pieces of BYTES with pauses, so the ClientHello spans TCP segments
// --alpn-padding N  add N made-up ALPN names to grow the ClientHello
import tls from 'node:tls';
import net from 'node:net';
import fs from 'node:fs';
import { Duplex } from 'node:stream';
import { parseArgs, assertLoopback } from './args.mjs';

const args = parseArgs(process.argv.slice(2));
const key = fs.readFileSync(args.key);
const cert = fs.readFileSync(args.cert);
const split = Number(args.split ?? 0);
const padding = Number(args['alpn-padding'] ?? 0);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const targets = String(args.targets).split(';').map((t) => {
  const [address, port, sni, alpn] = t.split('|');
  return { address: assertLoopback(address), port: Number(port), sni, alpn: alpn ? alpn.split(',') : undefined };
});

// Writes each chunk to the real socket in small pieces with Nagle off, so the kernel sends separate segments.
class ChunkedSocket extends Duplex {
  constructor(socket, size) {
    super();
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (d) => this.push(d));
    socket.on('end', () => this.push(null));
    socket.on('error', (e) => this.destroy(e));
  }
  async _write(chunk, _enc, done) {
    for (let i = 0; i < chunk.length; i += split) {
      this.socket.write(chunk.subarray(i, i + split));
      await sleep(15);
    }
    done();
  }
  _read() {}
  _final(done) { this.socket.end(); done(); }
}

const servers = new Map();
for (const t of targets) {
  const id = `${t.address}|${t.port}`;
  if (servers.has(id)) continue;
  const server = tls.createServer({ key, cert, ALPNProtocols: ['h2', 'http/1.1'] }, (s) => { s.on('error', () => {}); s.end(); });
  await new Promise((r) => server.listen(t.port, t.address, r));
  servers.set(id, server);
}

const results = [];
for (const t of targets) {
  const alpn = t.alpn ? [...t.alpn, ...Array.from({ length: padding }, (_, i) => `corpus-padding-protocol-${i}`)] : undefined;
  const options = { servername: t.sni, ALPNProtocols: alpn, rejectUnauthorized: false };
  if (split > 0) {
    const raw = net.connect({ host: t.address, port: t.port, localAddress: t.address.includes(':') ? '::1' : '127.0.0.1' });
    await new Promise((r) => raw.once('connect', r));
    options.socket = new ChunkedSocket(raw, split);
  } else {
    Object.assign(options, { host: t.address, port: t.port, localAddress: t.address.includes(':') ? '::1' : '127.0.0.1' });
  }
  const socket = tls.connect(options);
  await new Promise((resolve, reject) => { socket.once('secureConnect', resolve); socket.once('error', reject); });
  results.push({ sni: t.sni, address: t.address, port: t.port, alpn: socket.alpnProtocol, protocol: socket.getProtocol() });
  socket.end();
  await new Promise((r) => socket.once('close', r));
}
for (const s of servers.values()) s.close();
console.log('RESULT ' + JSON.stringify(results));
