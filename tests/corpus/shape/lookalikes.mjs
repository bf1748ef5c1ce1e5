// Shape corpus: non-MCP HTTPS that looks like MCP from outside (JSON over long-lived TLS), server and client in
// one process on loopback. --family F --port P --seed S (varies counts and timing) --tls-max TLSv1.2|TLSv1.3
// --tls-key K --tls-cert C. Families: see `families` below (28).
import https from 'node:https';
import http2 from 'node:http2';
import tls from 'node:tls';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { parseArgs, readBody, assertLoopback } from './args.mjs';

const args = parseArgs(process.argv.slice(2));
const host = assertLoopback('127.0.0.1');
const port = Number(args.port);
const family = args.family;
let seed = Number(args.seed ?? 1);
const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const between = (a, b) => Math.floor(a + rand() * (b - a));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const base = `https://${host}:${port}`;
const tlsOptions = { key: fs.readFileSync(args['tls-key']), cert: fs.readFileSync(args['tls-cert']),
  maxVersion: args['tls-max'] ?? 'TLSv1.3' };
const json = (res, status, value) => {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
};
async function sse(res, events, gapMs) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  for (const e of events) { res.write(e); await sleep(gapMs()); }
  res.end();
}
const post = async (path, value, headers = {}) => (await fetch(`${base}${path}`, { method: 'POST',
  headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers }, body: JSON.stringify(value) })).text();
const text = (n) => 'lorem ipsum dolor sit amet '.repeat(Math.ceil(n / 27)).slice(0, n);
// Seeded sizes for the bulk families: a standard normal (Box-Muller) and a log-normal clamped to [lo, hi].
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const lognormal = (median, sigma, lo, hi) => Math.round(Math.min(hi, Math.max(lo, median * Math.exp(sigma * normal()))));
const pick = (items) => items[between(0, items.length)];
const hex = (bytes) => crypto.randomBytes(bytes).toString('hex');
// File bodies of the bulk families: slices of one random buffer (content is opaque to TLS; only sizes matter).
let blob;
const bodyOf = (n) => { blob ??= crypto.randomBytes(6 << 20); return blob.subarray(0, Math.min(n, blob.length)); };
// One HTTP/1.1 exchange over a keep-alive agent: the status and headers of the answer, its body drained.
const exchange = (agent, method, path, headers = {}) => new Promise((resolve, reject) => {
  const r = https.request(`${base}${path}`, { method, agent, headers }, (res) => {
    res.resume(); res.on('end', () => resolve({ status: res.statusCode, headers: res.headers }));
  });
  r.on('error', reject); r.end();
});

const families = {
  // Chat-completion streams: POST, then SSE deltas.
  'chat-sse': {
    async handle(req, res) {
      const chunk = (c) => `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: c } }] })}\n\n`;
      await sse(res, [...Array.from({ length: between(8, 60) }, () => chunk(text(between(2, 12)))), 'data: [DONE]\n\n'], () => between(10, 60));
    },
    async client() {
      for (let i = between(1, 4); i > 0; i--) {
        await post('/v1/chat/completions', { model: 'm', stream: true, messages: [{ role: 'user', content: text(between(50, 900)) }] });
        await sleep(between(100, 1500));
      }
    },
  },
  // A2A: agent card, then JSON-RPC message/stream answered as SSE task updates.
  'a2a-sse': {
    async handle(req, res, body) {
      if (req.method === 'GET') { json(res, 200, { name: 'agent', skills: [{ id: 's', name: text(40) }], capabilities: { streaming: true } }); return; }
      const msg = JSON.parse(body);
      const upd = (state, final) => `data: ${JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { kind: 'status-update', taskId: 't1', status: { state }, final } })}\n\n`;
      await sse(res, [upd('submitted', false), ...Array.from({ length: between(1, 6) }, () => upd('working', false)),
        `data: ${JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { kind: 'artifact-update', artifact: { parts: [{ kind: 'text', text: text(between(100, 3000)) }] } } })}\n\n`,
        upd('completed', true)], () => between(50, 300));
    },
    async client() {
      await (await fetch(`${base}/.well-known/agent-card.json`)).text();
      for (let i = 1; i <= between(1, 5); i++) {
        await post('/a2a', { jsonrpc: '2.0', id: i, method: 'message/stream', params: { message: { role: 'user', parts: [{ kind: 'text', text: text(between(20, 400)) }] } } }, { Accept: 'text/event-stream' });
        await sleep(between(200, 2000));
      }
    },
  },
  // GraphQL over HTTP, polled.
  'graphql-poll': {
    async handle(req, res) { json(res, 200, { data: { items: Array.from({ length: between(0, 20) }, (_, i) => ({ id: i, name: text(30) })) } }); },
    async client() {
      for (let i = between(3, 12); i > 0; i--) { await post('/graphql', { query: 'query { items { id name } }', variables: {} }); await sleep(between(200, 900)); }
    },
  },
  // WebSocket: upgrade, then small frames both ways.
  websocket: {
    upgrade(req, socket) {
      const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      socket.on('data', () => socket.write(wsFrame(Buffer.from(JSON.stringify({ type: 'ack', data: text(between(10, 400)) })), false)));
      socket.on('error', () => {});
    },
    async client() {
      const s = tls.connect({ host, port, rejectUnauthorized: false });
      await new Promise((r) => s.once('secureConnect', r));
      s.write(`GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\n\r\n`);
      await new Promise((r) => s.once('data', r));
      for (let i = between(4, 20); i > 0; i--) { s.write(wsFrame(Buffer.from(JSON.stringify({ type: 'msg', body: text(between(5, 200)) })), true)); await sleep(between(50, 600)); }
      s.end();
    },
  },
  // Long polling: each GET hangs until an event.
  'long-poll': {
    async handle(req, res) { await sleep(between(200, 900)); json(res, 200, { events: [{ seq: between(1, 1e6), text: text(between(10, 300)) }] }); },
    async client() { for (let i = between(3, 10); i > 0; i--) await (await fetch(`${base}/poll?since=${i}`)).text(); },
  },
  // A REST client: a few CRUD calls.
  'rest-client': {
    async handle(req, res) { json(res, req.method === 'POST' ? 201 : 200, { id: between(1, 99), items: Array.from({ length: between(1, 15) }, () => text(40)) }); },
    async client() {
      for (let i = between(2, 8); i > 0; i--) {
        if (rand() < 0.5) await (await fetch(`${base}/api/items/${i}`)).text();
        else await post('/api/items', { name: text(between(10, 200)) });
        await sleep(between(0, 400));
      }
    },
  },
  // Telemetry beacons: small POSTs, each on a new connection.
  telemetry: {
    async handle(req, res) { res.writeHead(204).end(); },
    async client() {
      const agent = new https.Agent({ keepAlive: false, rejectUnauthorized: false });
      for (let i = between(2, 6); i > 0; i--) {
        await new Promise((resolve, reject) => {
          const r = https.request(`${base}/v1/traces`, { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } }, (res) => { res.resume(); res.on('end', resolve); });
          r.on('error', reject); r.end(JSON.stringify({ spans: Array.from({ length: between(1, 10) }, () => ({ name: text(20), t: Date.now() })) }));
        });
        await sleep(between(100, 700));
      }
    },
  },
  // Plain downloads.
  download: {
    async handle(req, res) { const body = Buffer.from(text(between(20000, 600000))); res.writeHead(200, { 'Content-Length': body.length }).end(body); },
    async client() { for (let i = between(1, 3); i > 0; i--) await (await fetch(`${base}/files/${i}.bin`)).arrayBuffer(); },
  },
  // A JSON-RPC node API with a GET event feed beside POST calls (the most MCP-like layout).
  'jsonrpc-feed': {
    async handle(req, res, body) {
      if (req.method === 'GET') {
        const n = between(3, 10);
        await sse(res, Array.from({ length: n }, (_, i) => `data: ${JSON.stringify({ jsonrpc: '2.0', method: 'eth_subscription', params: { result: { number: i } } })}\n\n`), () => between(200, 700));
        return;
      }
      const msg = JSON.parse(body);
      json(res, 200, { jsonrpc: '2.0', id: msg.id, result: '0x' + crypto.randomBytes(between(8, 200)).toString('hex') });
    },
    async client() {
      const feed = fetch(`${base}/events`, { headers: { Accept: 'text/event-stream' } }).then((r) => r.text());
      for (let i = 1; i <= between(2, 8); i++) { await post('/rpc', { jsonrpc: '2.0', id: i, method: 'eth_call', params: [{ to: '0x1', data: '0x' }] }); await sleep(between(100, 800)); }
      await feed;
    },
  },
  // An SSE news feed idling with keep-alive comments (like an idle MCP GET stream).
  'sse-feed': {
    async handle(req, res) {
      await sse(res, Array.from({ length: between(3, 12) }, () => (rand() < 0.6 ? ': keep-alive\n\n' : `event: news\ndata: ${JSON.stringify({ title: text(between(20, 200)) })}\n\n`)), () => between(300, 1000));
    },
    async client() { await (await fetch(`${base}/feed`, { headers: { Accept: 'text/event-stream' } })).text(); },
  },
  // gRPC-web-like unary calls over h2.
  'h2-rpc': { h2: true,
    async client() {
      const c = http2.connect(base, { rejectUnauthorized: false });
      for (let i = between(2, 10); i > 0; i--) {
        await new Promise((resolve) => {
          const s = c.request({ ':method': 'POST', ':path': '/pkg.Service/Get', 'content-type': 'application/grpc-web+proto' });
          s.on('data', () => {}); s.on('end', resolve); s.end(crypto.randomBytes(between(10, 300)));
        });
        await sleep(between(50, 800));
      }
      c.close();
    },
    stream(s) { s.on('data', () => {}); s.on('end', () => { s.respond({ ':status': 200, 'content-type': 'application/grpc-web+proto' }); s.end(crypto.randomBytes(between(20, 2000))); }); },
  },
  // A JSON-RPC language-server-like API over POST (request/response pairs, no stream).
  'jsonrpc-post': {
    async handle(req, res, body) { const msg = JSON.parse(body); json(res, 200, { jsonrpc: '2.0', id: msg.id, result: { items: text(between(20, 1500)) } }); },
    async client() {
      await post('/rpc', { jsonrpc: '2.0', id: 0, method: 'initialize', params: { processId: 1, rootUri: 'file:///w', capabilities: {} } });
      for (let i = 1; i <= between(2, 10); i++) { await sleep(between(100, 1200)); await post('/rpc', { jsonrpc: '2.0', id: i, method: 'textDocument/hover', params: {} }); }
    },
  },
  // A REST JSON API whose collection happens to live under /mcp: keep-alive requests with a large, fixed header set
  // (bearer token, JSON accept/content type), in bursts with think time, sometimes on two connections, ending
  // with a bodyless DELETE. At the request level it looks like Streamable HTTP; only the pairing cadence differs.
  'rest-crud': {
    async handle(req, res, body) {
      if (req.method === 'DELETE') { res.writeHead(204).end(); return; }
      const item = { id: between(1, 9999), name: text(between(10, 120)), tags: [text(8), text(12)], updated: Date.now() };
      if (req.method === 'GET' && !/\/\d+$/.test(req.url)) {
        json(res, 200, { items: Array.from({ length: between(1, 25) }, () => item), next: null }); return;
      }
      json(res, req.method === 'POST' ? 201 : 200, body ? { ...item, ...JSON.parse(body) } : item);
    },
    async client() {
      const agent = new https.Agent({ keepAlive: true, maxSockets: rand() < 0.4 ? 2 : 1, rejectUnauthorized: false });
      const headers = { Authorization: `Bearer ${crypto.randomBytes(48).toString('base64url')}`,
        Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'inventory-sync/2.4 node' };
      const call = (method, path, value) => new Promise((resolve, reject) => {
        const r = https.request(`${base}${path}`, { method, agent, headers }, (res) => { res.resume(); res.on('end', resolve); });
        r.on('error', reject); r.end(value === undefined ? undefined : JSON.stringify(value));
      });
      const id = between(1, 500);
      for (let burst = between(1, 5); burst > 0; burst--) {
        const calls = [];
        for (let i = between(1, 6); i > 0; i--) {
          const pick = rand();
          if (pick < 0.35) calls.push(() => call('GET', `/mcp/items/${between(1, 500)}`));
          else if (pick < 0.55) calls.push(() => call('GET', '/mcp/items?limit=25'));
          else if (pick < 0.8) calls.push(() => call('POST', '/mcp/items', { name: text(between(10, 400)), qty: between(1, 9) }));
          else calls.push(() => call('PATCH', `/mcp/items/${id}`, { qty: between(1, 9) }));
        }
        if (rand() < 0.3) await Promise.all(calls.map((c) => c()));
        else for (const c of calls) await c();
        await sleep(between(100, 1800));
      }
      await call('DELETE', `/mcp/items/${id}`);
      agent.destroy();
    },
  },
  // An Ethereum-style JSON-RPC node client (as ethers/web3 providers talk to a node): chain id and version, then
  // block-number polling with eth_getBlockByNumber/eth_call, some calls batched as arrays. Not MCP, same framing.
  'eth-rpc': {
    async handle(req, res, body) {
      const answer = (m) => ({ jsonrpc: '2.0', id: m.id, result: m.method === 'eth_getBlockByNumber'
        ? { number: '0x' + between(1, 1e7).toString(16), hash: '0x' + crypto.randomBytes(32).toString('hex'),
          transactions: Array.from({ length: between(0, 30) }, () => '0x' + crypto.randomBytes(32).toString('hex')) }
        : '0x' + crypto.randomBytes(between(1, 64)).toString('hex') });
      const msg = JSON.parse(body);
      json(res, 200, Array.isArray(msg) ? msg.map(answer) : answer(msg));
    },
    async client() {
      let id = 1;
      const rpc = (method, params = []) => ({ jsonrpc: '2.0', id: id++, method, params });
      await post('/', rpc('eth_chainId'));
      await post('/', rpc('net_version'));
      for (let i = between(3, 14); i > 0; i--) {
        await post('/', rpc('eth_blockNumber'));
        if (rand() < 0.5) await post('/', rpc('eth_getBlockByNumber', ['latest', false]));
        if (rand() < 0.3) await post('/', Array.from({ length: between(2, 6) }, () => rpc('eth_call', [{ to: '0x' + crypto.randomBytes(20).toString('hex'), data: '0x70a08231' }, 'latest'])));
        await sleep(between(200, 1500));
      }
    },
  },
  // Webhook deliveries: a sender POSTs signed event payloads to a receiver that answers each with a tiny constant
  // 200, on a keep-alive connection, in bursts (like the tiny 202s of a legacy-SSE MCP POST channel, with no stream).
  webhook: {
    async handle(req, res) { res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 }).end('ok'); },
    async client() {
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
      const deliver = (event) => new Promise((resolve, reject) => {
        const body = JSON.stringify({ id: crypto.randomUUID(), type: event, created: Date.now(), data: { object: { id: 'obj_' + between(1, 1e6), note: text(between(50, 1500)) } } });
        const r = https.request(`${base}/webhooks/incoming`, { method: 'POST', agent, headers: { 'Content-Type': 'application/json',
          'X-Signature': crypto.createHmac('sha256', 'k').update(body).digest('hex'), 'User-Agent': 'hookshot/1.0' } },
        (res) => { res.resume(); res.on('end', resolve); });
        r.on('error', reject); r.end(body);
      });
      for (let burst = between(1, 4); burst > 0; burst--) {
        for (let i = between(1, 8); i > 0; i--) await deliver(['invoice.paid', 'customer.updated', 'charge.refunded'][between(0, 3)]);
        await sleep(between(300, 2000));
      }
      agent.destroy();
    },
  },
  // A chat app: an SSE stream of room events open beside POSTed messages, each POST answered 202 and its message
  // (plus sometimes a bot reply) pushed on the stream shortly after: the layout of MCP's legacy HTTP+SSE transport.
  'chat-post-sse': {
    streams: new Set(),
    async handle(req, res, body) {
      if (req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        res.write(`event: hello\ndata: ${JSON.stringify({ room: 'general', members: between(2, 40) })}\n\n`);
        this.streams.add(res); req.on('close', () => this.streams.delete(res)); return;
      }
      res.writeHead(202, { 'Content-Length': 0 }).end();
      const msg = JSON.parse(body);
      await sleep(between(5, 80));
      for (const s of this.streams) s.write(`event: message\ndata: ${JSON.stringify({ from: 'me', ...msg, ts: Date.now() })}\n\n`);
      if (rand() < 0.5) {
        await sleep(between(100, 900));
        for (const s of this.streams) s.write(`event: message\ndata: ${JSON.stringify({ from: 'bot', text: text(between(20, 600)) })}\n\n`);
      }
    },
    async client() {
      const ctl = new AbortController();
      const stream = fetch(`${base}/rooms/general/events`, { headers: { Accept: 'text/event-stream' }, signal: ctl.signal })
        .then((r) => r.text()).catch(() => {});
      await sleep(between(50, 300));
      for (let i = between(2, 10); i > 0; i--) {
        await post('/rooms/general/messages', { text: text(between(5, 300)) });
        await sleep(between(150, 2500));
      }
      ctl.abort(); await stream;
    },
  },
  // A live-update hub on better-sse (real SSE server software: its sessions, channel broadcasts, event ids, retry
  // field and keep-alive comments), read by the eventsource package (a real EventSource client): a collaborative
  // editor's client holds a GET event stream open and POSTs its actions (edits, cursor moves, presence, comments,
  // reactions) to the hub, each answered 202 and broadcast on the channel shortly after, other users' actions in
  // between. The legacy MCP transport's layout, as chat-post-sse, on other software (the thirteenth round).
  'sse-channel': {
    async createServer() {
      const { createSession, createChannel } = await import('better-sse');
      const channel = createChannel();
      this.channel = channel;
      const keepAlive = pick([null, 2000, 5000, 10000]);
      const retry = pick([null, 1000, 2000, 5000]);
      const accepted = rand() < 0.5 ? () => ({ 'Content-Length': 0 }) : null;
      let seq = 0;
      this.publish = (event, type) => channel.broadcast(event, type, { eventId: String(++seq) });
      return https.createServer(tlsOptions, async (req, res) => {
        try {
          const url = new URL(req.url, base);
          if (req.method === 'GET' && url.pathname === '/hub/events') {
            const session = await createSession(req, res, { keepAlive, retry });
            channel.register(session);
            session.push({ clientId: hex(8), doc: url.searchParams.get('doc'), users: Array.from({ length: between(1, 12) },
              () => ({ id: hex(6), name: text(between(4, 20)) })), revision: between(1, 90000) }, 'welcome');
            return;
          }
          const body = await readBody(req);
          if (req.method !== 'POST' || url.pathname !== '/hub/publish') { res.writeHead(404).end(); return; }
          const action = JSON.parse(body);
          if (accepted) res.writeHead(202, accepted()).end();
          else json(res, 202, { queued: true, seq: seq + 1 });
          await sleep(between(2, 60));
          this.publish({ ...action, seq: seq + 1, at: Date.now() }, action.type);
        } catch (e) { console.error(e); if (!res.headersSent) res.writeHead(500).end(); }
      });
    },
    async client() {
      const { EventSource } = await import('eventsource');
      const es = new EventSource(`${base}/hub/events?doc=${hex(4)}`);
      const clientId = await new Promise((resolve, reject) => {
        es.addEventListener('welcome', (e) => resolve(JSON.parse(e.data).clientId), { once: true });
        es.onerror = (e) => { if (es.readyState === es.CLOSED) reject(e); };
      });
      const act = () => {
        const r = rand();
        if (r < 0.3) return { type: 'edit', ops: [{ retain: between(0, 5000) }, { insert: text(lognormal(60, 1.2, 1, 4000)) }] };
        if (r < 0.55) return { type: 'cursor', anchor: between(0, 9000), head: between(0, 9000) };
        if (r < 0.7) return { type: 'presence', status: pick(['active', 'idle', 'typing']) };
        if (r < 0.9) return { type: 'comment', thread: hex(6), text: text(lognormal(120, 0.9, 5, 1500)) };
        return { type: 'reaction', target: hex(6), emoji: pick(['+1', 'heart', 'eyes']) };
      };
      let others;
      if (rand() < 0.6) {
        const other = () => { others = setTimeout(() => { this.publish({ ...act(), clientId: hex(8), at: Date.now() }, 'remote'); other(); },
          lognormal(2500, 0.9, 150, 12000)); };
        other();
      }
      for (let i = between(2, 14); i > 0; i--) {
        await sleep(lognormal(900, 0.9, 60, 6000));
        await (await fetch(`${base}/hub/publish`, { method: 'POST', body: JSON.stringify({ clientId, ...act() }),
          headers: { 'Content-Type': 'application/json' } })).text();
      }
      await sleep(between(100, 1500));
      clearTimeout(others);
      es.close();
      await sleep(200);
    },
  },
  // graphql-sse in single-connection mode: PUT reserves a stream token, GET opens the stream, each operation is a
  // POST answered 202 whose results arrive on the stream as `next`/`complete` events, then DELETE ends it.
  'graphql-sse': {
    streams: new Set(),
    async handle(req, res, body) {
      if (req.method === 'PUT') { res.writeHead(201, { 'Content-Type': 'text/plain' }).end(crypto.randomUUID()); return; }
      if (req.method === 'DELETE') { res.writeHead(200).end(); return; }
      if (req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' }); res.write(':\n\n');
        this.streams.add(res); req.on('close', () => this.streams.delete(res)); return;
      }
      const op = JSON.parse(body);
      res.writeHead(202).end();
      await sleep(between(5, 120));
      const id = op.extensions?.operationId;
      for (let n = op.query.startsWith('subscription') ? between(1, 5) : 1; n > 0; n--) {
        for (const s of this.streams) s.write(`event: next\ndata: ${JSON.stringify({ id, payload: { data: { items: Array.from({ length: between(1, 10) }, (_, i) => ({ id: i, name: text(between(10, 60)) })) } } })}\n\n`);
        await sleep(between(50, 400));
      }
      for (const s of this.streams) s.write(`event: complete\ndata: ${JSON.stringify({ id })}\n\n`);
    },
    async client() {
      const token = await (await fetch(`${base}/graphql/stream`, { method: 'PUT' })).text();
      const headers = { 'X-GraphQL-Event-Stream-Token': token };
      const ctl = new AbortController();
      const stream = fetch(`${base}/graphql/stream?token=${token}`, { headers: { Accept: 'text/event-stream' }, signal: ctl.signal })
        .then((r) => r.text()).catch(() => {});
      await sleep(between(50, 200));
      for (let i = 1; i <= between(2, 8); i++) {
        const query = rand() < 0.3 ? 'subscription { itemAdded { id name } }' : `query Q${i} { items(first: ${between(1, 20)}) { id name } }`;
        await post('/graphql/stream', { query, variables: {}, extensions: { operationId: `op${i}` } }, headers);
        await sleep(between(200, 2000));
      }
      await fetch(`${base}/graphql/stream?token=${token}`, { method: 'DELETE', headers }).then((r) => r.text());
      ctl.abort(); await stream;
    },
  },
  // A metrics scraper (Prometheus-like): the same GET /metrics, byte for byte, at a fixed interval on one keep-alive
  // connection; the exposition text is kilobytes and changes a little each time. Half the exporters write it as a
  // Go server does (through a 4 kB buffer, so 4 kB records), half in one piece. Machine-made polling: one request
  // size, a steady cadence, answers far larger than the requests.
  'metrics-scrape': {
    lines: 0, chunked: false,
    async handle(req, res) {
      const families = Array.from({ length: this.lines }, (_, i) =>
        `# HELP app_metric_${i} A metric.\n# TYPE app_metric_${i} counter\napp_metric_${i}{instance="a",job="svc"} ${between(0, 1e9)}\n`);
      const body = Buffer.from(families.join(''));
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4', ...(this.chunked ? {} : { 'Content-Length': body.length }) });
      if (!this.chunked) { res.end(body); return; }
      for (let at = 0; at < body.length; at += 4096) res.write(body.subarray(at, at + 4096));
      res.end();
    },
    async client() {
      this.lines = between(30, 400); this.chunked = rand() < 0.5;
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
      const interval = between(250, 1500);
      const headers = { Accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5', 'User-Agent': 'Prometheus/2.53.0',
        'X-Prometheus-Scrape-Timeout-Seconds': '10' };
      for (let i = between(4, 16); i > 0; i--) {
        const started = Date.now();
        await new Promise((resolve, reject) => {
          const r = https.request(`${base}/metrics`, { agent, headers }, (res) => { res.resume(); res.on('end', resolve); });
          r.on('error', reject); r.end();
        });
        await sleep(Math.max(0, interval - (Date.now() - started)));
      }
      agent.destroy();
    },
  },
  // A package or asset fetcher (npm install, a browser loading a page's assets, a registry pulling layers): a
  // metadata document, then a batch of files of tens to hundreds of kilobytes over a small keep-alive pool, some in
  // parallel. Several request/response pairs on one connection, requests of alike size, answers far larger.
  'asset-fetch': {
    chunked: false,
    async handle(req, res) {
      const size = req.url.endsWith('.json') ? between(2000, 30000) : between(5000, 300000);
      const body = Buffer.from(text(size));
      res.writeHead(200, { 'Content-Type': req.url.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        ...(this.chunked ? {} : { 'Content-Length': body.length }) });
      if (!this.chunked) { res.end(body); return; }
      for (let at = 0; at < body.length; at += 4096) res.write(body.subarray(at, at + 4096));
      res.end();
    },
    async client() {
      this.chunked = rand() < 0.5;
      const agent = new https.Agent({ keepAlive: true, maxSockets: between(1, 5), rejectUnauthorized: false });
      const get = (path) => new Promise((resolve, reject) => {
        const r = https.request(`${base}${path}`, { agent, headers: { Accept: '*/*', 'User-Agent': 'npm/10.8.2 node/v22.11.0' } },
          (res) => { res.resume(); res.on('end', resolve); });
        r.on('error', reject); r.end();
      });
      for (let round = between(1, 3); round > 0; round--) {
        await get(`/pkg-${between(1, 999)}.json`);
        const files = Array.from({ length: between(2, 12) }, () => `/pkg-${between(1, 999)}/-/pkg-${between(1, 9)}.${between(0, 30)}.${between(0, 9)}.tgz`);
        if (rand() < 0.5) await Promise.all(files.map(get));
        else for (const f of files) await get(f);
        await sleep(between(100, 1500));
      }
      agent.destroy();
    },
  },
  // A Python package mirror (PyPI's JSON simple API, PEP 691, as pip and uv talk to it): per requirement, the
  // project's index (a JSON file list; ETag, revalidated with If-None-Match and answered 304 when the client's cache
  // is warm), a wheel's `.metadata` file (PEP 658) and the wheel itself, unless the local wheel cache has it. pip
  // goes one request at a time on one keep-alive connection; uv resolves and downloads over a pool in parallel.
  // Sizes are drawn per file: index entries per project, metadata files of a few kB, wheels log-normal around
  // 90 kB (capped at 2.5 MB to keep the capture small).
  'pkg-mirror': {
    projects: new Map(),
    project(name) {
      if (!this.projects.has(name)) {
        const files = Array.from({ length: between(1, 120) }, (_, i) => {
          const version = `${between(0, 5)}.${i >> 3}.${i & 7}`;
          return { filename: `${name.replace(/-/g, '_')}-${version}-py3-none-any.whl`, version, size: lognormal(90_000, 1.6, 2_000, 2_500_000),
            metadata: lognormal(4_000, 0.8, 600, 40_000), sha256: hex(32) };
        });
        const files2 = new Map(files.map((f) => [`/packages/${f.sha256.slice(0, 2)}/${f.sha256.slice(2, 4)}/${f.sha256.slice(4)}/${f.filename}`, f]));
        this.projects.set(name, { files, paths: [...files2.keys()], etag: `"${hex(16)}"` });
        for (const [path, f] of files2) this.byPath.set(path, f);
      }
      return this.projects.get(name);
    },
    byPath: new Map(),
    async handle(req, res) {
      const url = new URL(req.url, base);
      if (url.pathname.startsWith('/simple/')) {
        const name = url.pathname.split('/')[2];
        const p = this.project(name);
        if (req.headers['if-none-match'] === p.etag) { res.writeHead(304, { ETag: p.etag, 'Cache-Control': 'max-age=600, public' }).end(); return; }
        const body = JSON.stringify({ meta: { 'api-version': '1.1', '_last-serial': between(1, 3e7) }, name,
          versions: [...new Set(p.files.map((f) => f.version))],
          files: p.files.map((f, i) => ({ filename: f.filename, url: p.paths[i], hashes: { sha256: f.sha256 }, 'requires-python': '>=3.8',
            'core-metadata': { sha256: f.sha256 }, size: f.size, 'upload-time': '2024-05-01T12:00:00.000000Z', yanked: false })) });
        res.writeHead(200, { 'Content-Type': 'application/vnd.pypi.simple.v1+json', ETag: p.etag, 'Cache-Control': 'max-age=600, public',
          'Content-Length': Buffer.byteLength(body), 'X-PyPI-Last-Serial': String(between(1, 3e7)) }).end(body);
        return;
      }
      const metadata = url.pathname.endsWith('.metadata');
      const f = this.byPath.get(metadata ? url.pathname.slice(0, -'.metadata'.length) : url.pathname);
      if (!f) { res.writeHead(404, { 'Content-Length': 0 }).end(); return; }
      if (metadata) {
        const body = `Metadata-Version: 2.1\nName: x\nVersion: ${f.version}\n${text(f.metadata)}`;
        res.writeHead(200, { 'Content-Type': 'binary/octet-stream', 'Content-Length': Buffer.byteLength(body), ETag: `"${f.sha256.slice(0, 32)}"` }).end(body);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'binary/octet-stream', 'Content-Length': f.size, ETag: `"${f.sha256.slice(0, 32)}"`,
        'Last-Modified': 'Wed, 01 May 2024 12:00:00 GMT', 'Accept-Ranges': 'bytes', 'Cache-Control': 'max-age=365000000, immutable, public' });
      res.end(bodyOf(f.size));
    },
    async client() {
      const uv = rand() < 0.5;
      const warm = rand() < 0.4; // a cache from an earlier install: indexes revalidated, most wheels not fetched again
      const agent = new https.Agent({ keepAlive: true, maxSockets: uv ? between(2, 6) : 1, rejectUnauthorized: false });
      const headers = { 'Accept-Encoding': 'identity', 'User-Agent': uv ? 'uv/0.4.18 {"installer":{"name":"uv","version":"0.4.18"}}'
        : 'pip/24.2 {"ci":null,"cpu":"x86_64","implementation":{"name":"CPython","version":"3.12.4"},"installer":{"name":"pip","version":"24.2"},"python":"3.12.4","system":{"name":"Linux","release":"6.8.0"}}' };
      const words = ['requests', 'numpy', 'attrs', 'click', 'rich', 'pydantic', 'urllib3', 'idna', 'certifi', 'six', 'packaging',
        'jinja2', 'markupsafe', 'pyyaml', 'typing-extensions', 'charset-normalizer', 'httpx', 'anyio', 'sniffio', 'h11'];
      const install = async (name) => {
        const p = this.project(name); // the client's cache knows the index's ETag when warm
        const index = await exchange(agent, 'GET', `/simple/${name}/`, { ...headers, Accept: 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01',
          ...(warm ? { 'If-None-Match': p.etag, 'Cache-Control': 'max-age=0' } : {}) });
        if (index.status !== 200 && index.status !== 304) throw new Error(`index ${index.status}`);
        const i = between(Math.max(0, p.files.length - 3), p.files.length);
        if (warm && rand() < 0.7) return;
        if (!warm || rand() < 0.5) await exchange(agent, 'GET', `${p.paths[i]}.metadata`, { ...headers, Accept: '*/*' });
        await exchange(agent, 'GET', p.paths[i], { ...headers, Accept: '*/*' });
      };
      const names = Array.from({ length: between(3, 30) }, (_, i) => `${pick(words)}${i ? `-${i}` : ''}`);
      if (uv) {
        for (let at = 0; at < names.length; at += 8) await Promise.all(names.slice(at, at + 8).map(install));
      } else {
        for (const name of names) await install(name);
      }
      agent.destroy();
    },
  },
  // An S3-compatible object store read by its clients: ListObjectsV2 (XML), then per object a HEAD (Content-Length,
  // ETag) and GETs with `Range: bytes=a-b` answered 206 with Content-Range, several per keep-alive connection over a
  // pool of one to four. Two readers: an analytics engine reading Parquet files (a suffix range for the footer, then
  // the column chunks it needs, of varied size), and a downloader fetching whole objects in parts of 1 MiB (the AWS
  // CLI's s3transfer; its default part is 8 MiB, smaller here to keep the capture small), in parallel, with
  // If-Match on the ETag. Requests carry SigV4 headers. Object sizes log-normal around 1.5 MB, at most 6 MB.
  'object-store': {
    objects: new Map(),
    async handle(req, res) {
      const url = new URL(req.url, base);
      const amz = { 'x-amz-request-id': hex(8).toUpperCase(), 'x-amz-id-2': crypto.randomBytes(48).toString('base64'), Server: 'AmazonS3' };
      if (url.searchParams.get('list-type') === '2') {
        const contents = [...this.objects].map(([key, o]) => `<Contents><Key>${key}</Key><LastModified>2026-11-30T08:00:00.000Z</LastModified>` +
          `<ETag>&quot;${o.etag}&quot;</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`).join('');
        const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>data</Name>` +
          `<Prefix>${url.searchParams.get('prefix') ?? ''}</Prefix><KeyCount>${this.objects.size}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`;
        res.writeHead(200, { ...amz, 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) }).end(body);
        return;
      }
      const o = this.objects.get(decodeURIComponent(url.pathname.slice('/data/'.length)));
      if (!o) { res.writeHead(404, { ...amz, 'Content-Type': 'application/xml', 'Content-Length': 0 }).end(); return; }
      const meta = { ...amz, ETag: `"${o.etag}"`, 'Last-Modified': 'Mon, 30 Nov 2026 08:00:00 GMT', 'Accept-Ranges': 'bytes', 'Content-Type': o.type };
      if (req.headers['if-match'] && req.headers['if-match'] !== `"${o.etag}"`) { res.writeHead(412, { ...amz, 'Content-Length': 0 }).end(); return; }
      if (req.method === 'HEAD') { res.writeHead(200, { ...meta, 'Content-Length': o.size }).end(); return; }
      const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
      if (!range) { res.writeHead(200, { ...meta, 'Content-Length': o.size }).end(bodyOf(o.size)); return; }
      let first = range[1] === '' ? Math.max(0, o.size - Number(range[2])) : Number(range[1]);
      let last = range[1] === '' || range[2] === '' ? o.size - 1 : Math.min(o.size - 1, Number(range[2]));
      if (first > last) { res.writeHead(416, { ...amz, 'Content-Range': `bytes */${o.size}`, 'Content-Length': 0 }).end(); return; }
      res.writeHead(206, { ...meta, 'Content-Range': `bytes ${first}-${last}/${o.size}`, 'Content-Length': last - first + 1 }).end(bodyOf(last - first + 1));
    },
    async client() {
      const parquet = rand() < 0.5;
      const prefix = parquet ? 'warehouse/events/' : 'backups/';
      for (let i = between(3, 40); i > 0; i--) {
        const size = lognormal(1_500_000, 1.0, 20_000, 6_000_000);
        this.objects.set(`${prefix}${parquet ? `part-${hex(8)}.parquet` : `db-${between(1, 9999)}.tar.zst`}`,
          { size, etag: hex(16) + (size > 1 << 20 && rand() < 0.5 ? `-${Math.ceil(size / (1 << 23))}` : ''), type: parquet ? 'application/octet-stream' : 'application/zstd' });
      }
      const agent = new https.Agent({ keepAlive: true, maxSockets: between(1, 5), rejectUnauthorized: false });
      const ua = pick(['aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.11.9', 'duckdb/v1.1.3(linux_amd64) httpfs',
        'Boto3/1.35.10 md/Botocore#1.35.10 ua/2.0 os/linux#6.8.0 lang/python#3.12.4', 'rclone/v1.68.1']);
      const signed = (path, extra = {}) => {
        const date = '20261207T101500Z';
        return { 'User-Agent': ua, 'x-amz-date': date, 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          Authorization: `AWS4-HMAC-SHA256 Credential=AKIA${hex(8).toUpperCase()}/20261207/us-east-1/s3/aws4_request, SignedHeaders=host;${Object.keys(extra).map((k) => k.toLowerCase()).sort().join(';')}${Object.keys(extra).length ? ';' : ''}x-amz-content-sha256;x-amz-date, ` +
            `Signature=${crypto.createHmac('sha256', 'secret').update(path + date + JSON.stringify(extra)).digest('hex')}`, ...extra };
      };
      await exchange(agent, 'GET', `/data?list-type=2&prefix=${encodeURIComponent(prefix)}`, signed('/data'));
      const keys = [...this.objects.keys()];
      for (let n = between(1, Math.min(6, keys.length) + 1); n > 0; n--) {
        const key = keys[between(0, keys.length)];
        const path = `/data/${key.split('/').map(encodeURIComponent).join('/')}`;
        const head = await exchange(agent, 'HEAD', path, signed(path));
        const size = Number(head.headers['content-length']);
        const ranges = [];
        if (parquet) {
          ranges.push(`bytes=-${Math.min(size, between(8, 65) * 1024)}`);
          for (let c = between(1, 12); c > 0; c--) {
            const length = lognormal(size / 12, 1.0, 1_000, size);
            const start = between(4, Math.max(5, size - length));
            ranges.push(`bytes=${start}-${Math.min(size - 1, start + length - 1)}`);
          }
        } else {
          for (let at = 0; at < size; at += 1 << 20) ranges.push(`bytes=${at}-${Math.min(size, at + (1 << 20)) - 1}`);
        }
        const getPart = (range) => exchange(agent, 'GET', path, signed(path, { Range: range, ...(parquet ? {} : { 'If-Match': head.headers.etag }) }));
        if (parquet) {
          await getPart(ranges[0]); // the footer says where the column chunks are
          await Promise.all(ranges.slice(1).map(getPart));
        } else {
          await Promise.all(ranges.map(getPart));
        }
        await sleep(between(20, 1200));
      }
      agent.destroy();
    },
  },
  // A video player fetching HLS from a CDN (as hls.js or a native player does): the master playlist, the media
  // playlist of a rendition chosen by bandwidth, for fMP4 an init segment, then segments: a few back to back to fill
  // the buffer, then one a segment duration (live: the playlist reloaded each target duration, then the new
  // segment), switching rendition now and then. Segment sizes follow the rendition's bit rate (VBR, log-normal
  // around it); segments of 1-2 s, as short-segment live streams use, to keep runs short.
  'hls-fetch': {
    ladder: [[400_000, '640x360'], [800_000, '842x480'], [1_400_000, '1280x720'], [2_800_000, '1920x1080']],
    async handle(req, res) {
      const url = new URL(req.url, base);
      const cdn = { Server: 'cloudflare', 'X-Cache': rand() < 0.9 ? 'HIT' : 'MISS', Age: String(between(0, 30)), 'Access-Control-Allow-Origin': '*' };
      if (url.pathname === '/live/master.m3u8') {
        const body = '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n' + this.ladder.map(([bw, res], i) =>
          `#EXT-X-STREAM-INF:BANDWIDTH=${bw},AVERAGE-BANDWIDTH=${Math.round(bw * 0.8)},RESOLUTION=${res},CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=30.000\n${i}/index.m3u8\n`).join('');
        res.writeHead(200, { ...cdn, 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': 'max-age=60', 'Content-Length': Buffer.byteLength(body) }).end(body);
        return;
      }
      const m = /^\/live\/(\d)\/(index\.m3u8|init\.mp4|seg-(\d+)\.(ts|m4s))$/.exec(url.pathname);
      if (!m) { res.writeHead(404, { ...cdn, 'Content-Length': 0 }).end(); return; }
      if (m[2] === 'index.m3u8') {
        const first = this.live ? Math.max(0, this.edge - 6) : 0; // a live window of six, or the whole video
        const body = `#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:${this.duration}\n#EXT-X-MEDIA-SEQUENCE:${first}\n` +
          (this.fmp4 ? '#EXT-X-MAP:URI="init.mp4"\n' : '') +
          Array.from({ length: this.edge - first }, (_, i) => `#EXT-X-PROGRAM-DATE-TIME:2026-12-07T10:${String((first + i) % 60).padStart(2, '0')}:00.000Z\n#EXTINF:${this.duration.toFixed(3)},\nseg-${first + i}.${this.fmp4 ? 'm4s' : 'ts'}\n`).join('') +
          (this.live ? '' : '#EXT-X-ENDLIST\n');
        res.writeHead(200, { ...cdn, 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': this.live ? `max-age=${Math.max(1, this.duration / 2)}` : 'max-age=3600',
          'Content-Length': Buffer.byteLength(body) }).end(body);
        return;
      }
      const size = m[2] === 'init.mp4' ? between(700, 1500) : lognormal(this.ladder[Number(m[1])][0] * this.duration / 8, 0.25, 5_000, 2_000_000);
      res.writeHead(200, { ...cdn, 'Content-Type': m[2] === 'init.mp4' ? 'video/mp4' : this.fmp4 ? 'video/iso.segment' : 'video/mp2t',
        'Cache-Control': 'max-age=86400', ETag: `"${hex(8)}"`, 'Content-Length': size }).end(bodyOf(size));
    },
    async client() {
      this.live = rand() < 0.5; this.fmp4 = rand() < 0.5; this.duration = between(1, 3);
      const total = between(6, 16);
      this.edge = this.live ? 3 : total; // a live playlist grows by one segment each duration
      const agent = new https.Agent({ keepAlive: true, maxSockets: between(1, 3), rejectUnauthorized: false });
      const headers = { Accept: '*/*', Origin: 'https://player.example', Referer: 'https://player.example/watch',
        'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' };
      const get = (path) => exchange(agent, 'GET', path, headers);
      await get('/live/master.m3u8');
      let rendition = between(1, 3);
      await get(`/live/${rendition}/index.m3u8`);
      if (this.fmp4) await get(`/live/${rendition}/init.mp4`);
      let next = this.live ? Math.max(0, this.edge - 3) : 0;
      for (let fetched = 0; fetched < total; fetched++) {
        const started = Date.now();
        if (fetched > 0 && rand() < 0.15) { // bandwidth estimate moved: switch rendition
          rendition = Math.max(0, Math.min(this.ladder.length - 1, rendition + (rand() < 0.5 ? -1 : 1)));
          await get(`/live/${rendition}/index.m3u8`);
          if (this.fmp4) await get(`/live/${rendition}/init.mp4`);
        }
        if (this.live && fetched >= 3) { this.edge++; await get(`/live/${rendition}/index.m3u8`); }
        await get(`/live/${rendition}/seg-${next++}.${this.fmp4 ? 'm4s' : 'ts'}`);
        // The first segments fill the buffer back to back; then one a segment duration.
        if (fetched >= 2) await sleep(Math.max(0, this.duration * 1000 - (Date.now() - started)));
      }
      agent.destroy();
    },
  },
  // The eleventh round's RPC families: real server and client libraries from npm (pinned in ../gen/ts), not
  // emulations; each builds its own server (createServer) and runs only when FAMILIES names it. Think time and
  // sizes are seeded log-normals after what those APIs carry.
  // tRPC (@trpc/server, @trpc/client): a todo app's client, queries and mutations through httpBatchLink (batched
  // GETs, POSTed mutations, a refetch after each change), and a live list through httpSubscriptionLink: an SSE stream
  // beside the POSTs, fed by this client's changes and by other users'.
  trpc: {
    async createServer() {
      const { initTRPC, tracked } = await import('@trpc/server');
      const { createHTTPHandler } = await import('@trpc/server/adapters/standalone');
      const { EventEmitter, on } = await import('node:events');
      const bus = new EventEmitter();
      this.bus = bus;
      const pingMs = rand() < 0.5 ? between(2000, 6000) : 0; // tRPC's SSE ping is opt-in
      const t = initTRPC.create({ sse: { ping: { enabled: pingMs > 0, intervalMs: pingMs || 1000 } } });
      const any = (v) => v;
      let nextId = between(1, 5000);
      const todo = () => ({ id: nextId++, title: text(lognormal(40, 0.6, 5, 300)), done: rand() < 0.3,
        tags: Array.from({ length: between(0, 4) }, () => text(between(3, 12))), updatedAt: new Date().toISOString() });
      this.todo = todo;
      const router = t.router({
        user: t.router({ me: t.procedure.query(() => ({ id: hex(8), name: text(between(5, 30)), email: 'user@example.com',
          settings: { theme: pick(['dark', 'light']), locale: pick(['en-US', 'de-DE', 'ja-JP']), notifications: rand() < 0.5 } })) }),
        todo: t.router({
          list: t.procedure.input(any).query(() => Array.from({ length: lognormal(12, 0.9, 0, 200) }, todo)),
          byId: t.procedure.input(any).query(({ input }) => ({ ...todo(), id: input?.id, body: text(lognormal(600, 1, 20, 20000)),
            history: Array.from({ length: between(0, 8) }, () => ({ at: new Date().toISOString(), by: hex(4) })) })),
          add: t.procedure.input(any).mutation(({ input }) => { const item = { ...todo(), title: input.title }; bus.emit('change', { kind: 'added', item }); return item; }),
          toggle: t.procedure.input(any).mutation(({ input }) => { const item = { ...todo(), id: input.id, done: true }; bus.emit('change', { kind: 'updated', item }); return item; }),
          onChange: t.procedure.input(any).subscription(async function* ({ signal }) {
            for await (const [ev] of on(bus, 'change', { signal })) yield tracked(`${ev.item.id}-${ev.kind}`, ev);
          }),
        }),
      });
      return https.createServer(tlsOptions, createHTTPHandler({ router, basePath: '/api/trpc/' }));
    },
    async client() {
      const { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } = await import('@trpc/client');
      const { EventSource } = await import('eventsource');
      const url = `${base}/api/trpc`;
      const client = createTRPCClient({ links: [splitLink({ condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, EventSource }), false: httpBatchLink({ url, maxItems: 10 }) })] });
      const think = () => lognormal(900, 0.9, 80, 5000);
      await Promise.all([client.user.me.query(), client.todo.list.query({ filter: pick(['all', 'open', 'done']) })]);
      let sub, others;
      if (rand() < 0.7) {
        sub = client.todo.onChange.subscribe(undefined, { onData() {}, onError() {} });
        const other = () => { others = setTimeout(() => { this.bus.emit('change', { kind: pick(['added', 'updated']), item: this.todo() }); other(); }, lognormal(2500, 0.9, 200, 15000)); };
        other();
      }
      for (let i = between(3, 14); i > 0; i--) {
        await sleep(think());
        const r = rand();
        if (r < 0.45) await Promise.all(Array.from({ length: between(1, 4) }, () => rand() < 0.5 ? client.todo.byId.query({ id: between(1, 5000) }) : client.todo.list.query({ filter: 'all', cursor: between(0, 50) })));
        else if (r < 0.8) await client.todo.add.mutate({ title: text(lognormal(30, 0.7, 3, 400)) });
        else { await client.todo.toggle.mutate({ id: between(1, 5000) }); await client.todo.list.query({ filter: 'all' }); }
      }
      await sleep(between(100, 1500));
      clearTimeout(others);
      sub?.unsubscribe();
      await sleep(200);
    },
  },
  // Connect RPC (@connectrpc/connect, @connectrpc/connect-node, @bufbuild/protobuf's runtime types, no protoc):
  // a catalog service with the JSON codec, unary GetItem and Search (a page's item details fanned out now and then)
  // and server-streaming WatchPrices, over HTTP/1.1 (odd seeds) or h2 (even seeds).
  'connect-rpc': {
    async createServer() {
      const { proto3, MethodKind } = await import('@bufbuild/protobuf');
      const { connectNodeAdapter } = await import('@connectrpc/connect-node');
      this.h2 = Number(args.seed) % 2 === 0;
      const S = (no, name, T = 9, extra = {}) => ({ no, name, kind: 'scalar', T, ...extra }); // 9 string, 5 int32, 8 bool, 1 double
      const Item = proto3.makeMessageType('acme.catalog.v1.Item', [S(1, 'id'), S(2, 'title'), S(3, 'description'),
        S(4, 'price_cents', 5), S(5, 'tags', 9, { repeated: true }), S(6, 'in_stock', 8), S(7, 'rating', 1), S(8, 'updated_at')]);
      const GetItemRequest = proto3.makeMessageType('acme.catalog.v1.GetItemRequest', [S(1, 'id'), S(2, 'field_mask')]);
      const SearchRequest = proto3.makeMessageType('acme.catalog.v1.SearchRequest', [S(1, 'query'), S(2, 'page_size', 5), S(3, 'page_token'), S(4, 'filters', 9, { repeated: true })]);
      const SearchResponse = proto3.makeMessageType('acme.catalog.v1.SearchResponse', [{ no: 1, name: 'items', kind: 'message', T: Item, repeated: true }, S(2, 'next_page_token'), S(3, 'total_size', 5)]);
      const WatchPricesRequest = proto3.makeMessageType('acme.catalog.v1.WatchPricesRequest', [S(1, 'ids', 9, { repeated: true })]);
      const PriceUpdate = proto3.makeMessageType('acme.catalog.v1.PriceUpdate', [S(1, 'id'), S(2, 'price_cents', 5), S(3, 'currency'), S(4, 'at')]);
      this.service = { typeName: 'acme.catalog.v1.CatalogService', methods: {
        getItem: { name: 'GetItem', I: GetItemRequest, O: Item, kind: MethodKind.Unary },
        search: { name: 'Search', I: SearchRequest, O: SearchResponse, kind: MethodKind.Unary },
        watchPrices: { name: 'WatchPrices', I: WatchPricesRequest, O: PriceUpdate, kind: MethodKind.ServerStreaming } } };
      const item = (id) => ({ id: id ?? hex(6), title: text(lognormal(45, 0.5, 5, 200)), description: text(lognormal(400, 1, 0, 8000)),
        priceCents: between(99, 99999), tags: Array.from({ length: between(0, 6) }, () => text(between(3, 14))), inStock: rand() < 0.8,
        rating: Math.round(rand() * 50) / 10, updatedAt: new Date().toISOString() });
      const impl = {
        getItem: (req) => item(req.id),
        search: (req) => ({ items: Array.from({ length: Math.min(req.pageSize, lognormal(req.pageSize * 0.7, 0.6, 0, 100)) }, () => item()),
          nextPageToken: rand() < 0.7 ? hex(12) : '', totalSize: between(0, 5000) }),
        async *watchPrices(req) {
          for (let n = lognormal(8, 0.7, 2, 40); n > 0; n--) {
            await sleep(lognormal(300, 0.8, 20, 2000));
            yield { id: pick(req.ids), priceCents: between(99, 99999), currency: 'USD', at: new Date().toISOString() };
          }
        },
      };
      const handler = connectNodeAdapter({ routes: (router) => router.service(this.service, impl) });
      return this.h2 ? http2.createSecureServer({ ...tlsOptions, allowHTTP1: true }, handler) : https.createServer(tlsOptions, handler);
    },
    async client() {
      const { createPromiseClient } = await import('@connectrpc/connect');
      const { createConnectTransport, Http2SessionManager } = await import('@connectrpc/connect-node');
      const sessionManager = this.h2 ? new Http2SessionManager(base, {}, { rejectUnauthorized: false }) : undefined;
      const transport = createConnectTransport({ baseUrl: base, httpVersion: this.h2 ? '2' : '1.1', useBinaryFormat: false,
        sessionManager, nodeOptions: { rejectUnauthorized: false } });
      const client = createPromiseClient(this.service, transport);
      const ids = () => Array.from({ length: between(1, 8) }, () => hex(6));
      for (let i = between(4, 18); i > 0; i--) {
        await sleep(lognormal(600, 0.9, 50, 4000));
        const r = rand();
        if (r < 0.3) await client.getItem({ id: hex(6), fieldMask: rand() < 0.3 ? 'title,price_cents' : '' });
        else if (r < 0.45) await Promise.all(Array.from({ length: between(2, 6) }, () => client.getItem({ id: hex(6) })));
        else if (r < 0.8) await client.search({ query: text(lognormal(20, 0.6, 3, 120)), pageSize: pick([10, 20, 25, 50]), pageToken: rand() < 0.3 ? hex(12) : '',
          filters: Array.from({ length: between(0, 4) }, () => `${pick(['brand', 'color', 'size'])}=${text(between(2, 10))}`) });
        else for await (const _ of client.watchPrices({ ids: ids() })) { /* drain */ }
      }
      sessionManager?.abort();
    },
  },
  // GraphQL Yoga (graphql-yoga, graphql): a social app's queries and mutations POSTed as JSON, and subscriptions over
  // yoga's SSE (one held-open POST per subscription, "distinct connections"), fed by this client's comments and
  // other users'.
  'yoga-sse': {
    async createServer() {
      const { createYoga, createSchema, createPubSub } = await import('graphql-yoga');
      const pubsub = createPubSub();
      this.pubsub = pubsub;
      const user = () => ({ id: hex(6), name: text(between(4, 24)), avatar: `https://cdn.example/a/${hex(8)}.png` });
      const comment = (text_) => ({ id: hex(8), text: text_ ?? text(lognormal(120, 0.9, 5, 2000)), author: user(), createdAt: new Date().toISOString() });
      const post = (id) => ({ id: id ?? hex(8), title: text(lognormal(50, 0.5, 5, 200)), body: text(lognormal(700, 1, 40, 12000)), likes: between(0, 5000), author: user() });
      this.comment = comment;
      const schema = createSchema({
        typeDefs: /* GraphQL */ `
          type User { id: ID! name: String! avatar: String }
          type Comment { id: ID! text: String! author: User! createdAt: String! }
          type Post { id: ID! title: String! body: String! likes: Int! author: User! comments(first: Int!): [Comment!]! }
          type Notification { id: ID! kind: String! message: String! }
          type Query { me: User! feed(first: Int!, after: String): [Post!]! post(id: ID!): Post }
          type Mutation { addComment(postId: ID!, text: String!): Comment! like(postId: ID!): Post! }
          type Subscription { commentAdded(postId: ID!): Comment! notifications: Notification! }`,
        resolvers: {
          Query: { me: user, feed: (_, { first }) => Array.from({ length: Math.min(first, lognormal(first * 0.8, 0.4, 0, 100)) }, () => post()), post: (_, { id }) => post(id) },
          Post: { comments: (_, { first }) => Array.from({ length: Math.min(first, lognormal(first * 0.5, 0.9, 0, 100)) }, () => comment()) },
          Mutation: {
            addComment: (_, { text: t }) => { const c = comment(t); pubsub.publish('comment', c); return c; },
            like: (_, { postId }) => { pubsub.publish('notification', { id: hex(6), kind: 'like', message: text(between(20, 120)) }); return post(postId); },
          },
          Subscription: {
            commentAdded: { subscribe: () => pubsub.subscribe('comment'), resolve: (c) => c },
            notifications: { subscribe: () => pubsub.subscribe('notification'), resolve: (n) => n },
          },
        },
      });
      return https.createServer(tlsOptions, createYoga({ schema, logging: false, graphqlEndpoint: '/graphql' }));
    },
    async client() {
      const gql = async (query, variables, opName) => (await fetch(`${base}/graphql`, { method: 'POST', body: JSON.stringify({ operationName: opName, query, variables }),
        headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' } })).json();
      const streams = [];
      const subscribe = (query, variables) => {
        const abort = new AbortController();
        streams.push(abort);
        (async () => {
          const res = await fetch(`${base}/graphql`, { method: 'POST', signal: abort.signal, body: JSON.stringify({ query, variables }),
            headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' } });
          for await (const _ of res.body) { /* events */ }
        })().catch(() => {});
      };
      const postQuery = 'query Post($id: ID!, $n: Int!) { post(id: $id) { id title body likes author { id name avatar } comments(first: $n) { id text createdAt author { id name } } } }';
      await gql('query Me { me { id name avatar } }', {}, 'Me');
      await gql('query Feed($first: Int!, $after: String) { feed(first: $first, after: $after) { id title likes author { id name avatar } } }', { first: pick([10, 20, 30]) }, 'Feed');
      let others;
      if (rand() < 0.7) {
        subscribe('subscription OnComment($postId: ID!) { commentAdded(postId: $postId) { id text createdAt author { id name avatar } } }', { postId: hex(8) });
        if (rand() < 0.5) subscribe('subscription Notes { notifications { id kind message } }', {});
        const other = () => { others = setTimeout(() => { this.pubsub.publish('comment', this.comment()); other(); }, lognormal(3000, 0.9, 200, 15000)); };
        other();
      }
      for (let i = between(3, 12); i > 0; i--) {
        await sleep(lognormal(1000, 0.9, 80, 5000));
        const r = rand();
        if (r < 0.45) await gql(postQuery, { id: hex(8), n: pick([5, 10, 20, 40]) }, 'Post');
        else if (r < 0.65) await gql('query Feed($first: Int!, $after: String) { feed(first: $first, after: $after) { id title likes author { id name avatar } } }', { first: 20, after: hex(8) }, 'Feed');
        else if (r < 0.9) await gql('mutation AddComment($postId: ID!, $text: String!) { addComment(postId: $postId, text: $text) { id text createdAt } }', { postId: hex(8), text: text(lognormal(80, 0.9, 2, 1500)) }, 'AddComment');
        else await gql('mutation Like($postId: ID!) { like(postId: $postId) { id likes } }', { postId: hex(8) }, 'Like');
      }
      await sleep(between(100, 1500));
      clearTimeout(others);
      for (const a of streams) a.abort();
      await sleep(200);
    },
  },
  // JSON-RPC 2.0 batch APIs (json-rpc-2.0's JSONRPCServer and JSONRPCClient): a Bitcoin-Core-like node polled by a
  // wallet or indexer (odd seeds: getbestblockhash polling, getblock on a new block, batched getrawtransaction, fee
  // estimates; basic auth) or a Solana-like one (even seeds: slot polling, getSignaturesForAddress followed by a batch
  // of getTransaction, getMultipleAccounts, batched balances).
  'jsonrpc-batch': {
    async createServer() {
      const { JSONRPCServer } = await import('json-rpc-2.0');
      const rpc = new JSONRPCServer();
      const txid = () => hex(32);
      const b58 = () => crypto.randomBytes(32).toString('base64').replace(/[+/=]/g, '').slice(0, 44);
      let height = between(800000, 900000), slot = between(280_000_000, 300_000_000);
      const methods = {
        getblockchaininfo: () => ({ chain: 'main', blocks: height, headers: height, bestblockhash: txid(), difficulty: 1.1e14, time: Date.now() / 1000 | 0,
          mediantime: Date.now() / 1000 | 0, verificationprogress: 0.99999, initialblockdownload: false, chainwork: hex(32), size_on_disk: 7e11, pruned: false, warnings: '' }),
        getnetworkinfo: () => ({ version: 280100, subversion: '/Satoshi:28.1.0/', protocolversion: 70016, localservices: '0000000000000c09', connections: between(8, 125),
          networks: ['ipv4', 'ipv6', 'onion'].map((name) => ({ name, limited: false, reachable: true, proxy: '', proxy_randomize_credentials: false })), relayfee: 0.00001, incrementalfee: 0.00001, warnings: '' }),
        getbestblockhash: () => { if (rand() < 0.3) height++; return txid(); },
        getblock: () => ({ hash: txid(), confirmations: 1, height, version: 536870912, merkleroot: txid(), time: Date.now() / 1000 | 0, nonce: between(0, 2 ** 31),
          bits: '17034219', difficulty: 1.1e14, nTx: 0, previousblockhash: txid(), tx: Array.from({ length: lognormal(1500, 0.7, 1, 5000) }, txid) }),
        getrawtransaction: () => ({ txid: txid(), hash: txid(), version: 2, size: between(150, 2000), vsize: between(110, 1500), locktime: 0,
          vin: Array.from({ length: lognormal(2, 0.8, 1, 40) }, () => ({ txid: txid(), vout: between(0, 4), scriptSig: { asm: '', hex: '' }, txinwitness: [hex(71), hex(33)], sequence: 4294967293 })),
          vout: Array.from({ length: lognormal(2, 0.6, 1, 30) }, (_, n) => ({ value: rand(), n, scriptPubKey: { asm: `0 ${hex(20)}`, hex: hex(22), address: `bc1q${hex(19)}`, type: 'witness_v0_keyhash' } })),
          blockhash: txid(), confirmations: between(1, 100), time: Date.now() / 1000 | 0 }),
        estimatesmartfee: ([target]) => ({ feerate: rand() / 1000, blocks: target }),
        getmempoolinfo: () => ({ loaded: true, size: between(1000, 300000), bytes: between(1e6, 3e8), usage: between(1e6, 3e8), total_fee: rand() * 5, maxmempool: 3e8, mempoolminfee: 0.00001, minrelaytxfee: 0.00001, unbroadcastcount: 0 }),
        getSlot: () => (slot += between(1, 5)),
        getLatestBlockhash: () => ({ context: { slot, apiVersion: '2.1.13' }, value: { blockhash: b58(), lastValidBlockHeight: slot - 20000 } }),
        getBalance: () => ({ context: { slot, apiVersion: '2.1.13' }, value: between(0, 1e12) }),
        getSignaturesForAddress: ([, opts]) => Array.from({ length: Math.min(opts?.limit ?? 1000, lognormal(20, 1, 0, 1000)) }, () => ({ signature: b58() + b58(), slot: slot - between(0, 1e6), err: null, memo: null, blockTime: Date.now() / 1000 | 0, confirmationStatus: 'finalized' })),
        getTransaction: () => ({ slot, blockTime: Date.now() / 1000 | 0, meta: { err: null, fee: 5000, preBalances: [between(0, 1e10), 1], postBalances: [between(0, 1e10), 1],
          logMessages: Array.from({ length: lognormal(8, 0.8, 1, 80) }, () => `Program ${b58()} ${pick(['invoke [1]', 'success', 'consumed 2400 of 200000 compute units'])}`), computeUnitsConsumed: between(150, 400000) },
          transaction: { signatures: [b58() + b58()], message: { accountKeys: Array.from({ length: lognormal(6, 0.6, 2, 64) }, b58), recentBlockhash: b58(),
            instructions: Array.from({ length: between(1, 6) }, () => ({ programIdIndex: between(0, 6), accounts: [0, 1], data: hex(between(4, 120)) })) } }, version: 0 }),
        getMultipleAccounts: ([keys]) => ({ context: { slot, apiVersion: '2.1.13' }, value: keys.map(() => rand() < 0.1 ? null : ({ lamports: between(0, 1e10), owner: b58(), executable: false,
          rentEpoch: 18446744073709551615, space: 0, data: [crypto.randomBytes(lognormal(165, 1.2, 0, 10000)).toString('base64'), 'base64'] })) }),
      };
      for (const [name, fn] of Object.entries(methods)) rpc.addMethod(name, fn);
      return https.createServer(tlsOptions, async (req, res) => {
        try {
          const out = await rpc.receive(JSON.parse(await readBody(req)));
          if (out) json(res, 200, out); else res.writeHead(204).end();
        } catch { res.writeHead(400).end(); }
      });
    },
    async client() {
      const { JSONRPCClient } = await import('json-rpc-2.0');
      const bitcoin = Number(args.seed) % 2 === 1;
      const headers = bitcoin ? { 'Content-Type': 'text/plain', Authorization: `Basic ${Buffer.from(`rpcuser:${hex(16)}`).toString('base64')}` }
        : { 'Content-Type': 'application/json', 'solana-client': 'js/1.0.0-maintenance' };
      const client = new JSONRPCClient(async (payload) => {
        const res = await fetch(`${base}/`, { method: 'POST', headers, body: JSON.stringify(payload) });
        if (res.status === 200) client.receive(await res.json()); else await res.text();
      });
      let id = 0;
      const req = (method, params) => ({ jsonrpc: '2.0', id: ++id, method, params });
      const batch = (reqs) => client.requestAdvanced(reqs);
      if (bitcoin) {
        await client.request('getblockchaininfo', []);
        if (rand() < 0.6) await client.request('getnetworkinfo', []);
        for (let i = between(4, 14); i > 0; i--) {
          await sleep(lognormal(1500, 0.7, 200, 5000));
          await client.request('getbestblockhash', []);
          const r = rand();
          if (r < 0.35) {
            const block = await client.request('getblock', [hex(32), 1]);
            const n = Math.min(block.tx.length, lognormal(12, 0.8, 1, 60));
            await batch(block.tx.slice(0, n).map((t) => req('getrawtransaction', [t, true])));
          } else if (r < 0.6) await batch([2, 6, 144].map((t) => req('estimatesmartfee', [t])));
          else if (r < 0.75) await client.request('getmempoolinfo', []);
        }
      } else {
        const address = () => crypto.randomBytes(32).toString('base64').replace(/[+/=]/g, '').slice(0, 44);
        await client.request('getLatestBlockhash', [{ commitment: 'finalized' }]);
        for (let i = between(5, 16); i > 0; i--) {
          await sleep(lognormal(700, 0.6, 150, 3000));
          const r = rand();
          if (r < 0.35) await client.request(rand() < 0.6 ? 'getSlot' : 'getLatestBlockhash', [{ commitment: 'confirmed' }]);
          else if (r < 0.6) {
            const sigs = await client.request('getSignaturesForAddress', [address(), { limit: pick([10, 25, 50, 100]) }]);
            const n = Math.min(sigs.length, lognormal(6, 0.8, 1, 25));
            if (n > 0) await batch(sigs.slice(0, n).map((s) => req('getTransaction', [s.signature, { encoding: 'json', maxSupportedTransactionVersion: 0 }])));
          } else if (r < 0.8) await client.request('getMultipleAccounts', [Array.from({ length: lognormal(5, 0.8, 1, 100) }, address), { encoding: 'base64' }]);
          else await batch(Array.from({ length: between(2, 10) }, () => req('getBalance', [address()])));
        }
      }
    },
  },
  // An Ethereum node and a wallet (ganache 7.9.2, an in-process Ethereum node, serving the JSON-RPC, batches included,
  // behind Node's HTTPS server; ethers 6.17.0's JsonRpcProvider and Wallet as the client): chain id and balances,
  // balance refreshes batched by ethers, the latest block, signed transfers and a contract call with the receipts
  // waited for, block polling (ethers' 4 s) in half the sessions. The real software of eth-rpc's emulation, whose
  // answers are as small as its requests.
  'eth-node': {
    async createServer() {
      const ganache = (await import('ganache')).default;
      this.node = ganache.provider({ logging: { quiet: true }, wallet: { deterministic: true, totalAccounts: 6 }, chain: { chainId: 1337 } });
      this.keys = Object.values(await this.node.getInitialAccounts()).map((a) => a.secretKey);
      const send = (payload) => new Promise((resolve) => this.node.send(payload, (error, out) =>
        resolve(error ? { jsonrpc: '2.0', id: payload.id ?? null, error: { code: -32603, message: String(error.message ?? error) } } : out)));
      return https.createServer(tlsOptions, async (req, res) => {
        try { json(res, 200, await send(JSON.parse(await readBody(req)))); } catch { res.writeHead(400).end(); }
      });
    },
    async client() {
      const { JsonRpcProvider, Wallet, Network, parseEther } = await import('ethers');
      const provider = new JsonRpcProvider(`${base}/`, Network.from(1337), { staticNetwork: true, pollingInterval: 4000 });
      const wallet = new Wallet(this.keys[0], provider);
      const others = this.keys.slice(1).map((k) => new Wallet(k).address);
      await provider.getBlockNumber();
      await Promise.all([provider.getBalance(wallet.address), provider.getTransactionCount(wallet.address)]);
      // A contract that answers its first 32 bytes of call data (balanceOf-like: a selector and an address).
      const deployed = await (await wallet.sendTransaction({ data: '0x6b6020600060003760206000f3600052600c6014f3' })).wait();
      if (rand() < 0.5) provider.on('block', () => {});
      for (let i = between(4, 14); i > 0; i--) {
        await sleep(lognormal(1500, 0.7, 200, 6000));
        const r = rand();
        if (r < 0.35) await Promise.all([wallet.address, ...others.slice(0, between(0, 4))].map((a) => provider.getBalance(a)));
        else if (r < 0.5) await provider.getBlock('latest');
        else if (r < 0.7) await (await wallet.sendTransaction({ to: pick(others), value: parseEther(String(between(1, 1000) / 1000)) })).wait();
        else if (r < 0.9) await provider.call({ to: deployed.contractAddress, data: '0x70a08231' + '0'.repeat(24) + pick(others).slice(2).toLowerCase() });
        else await provider.getLogs({ fromBlock: 0, toBlock: 'latest', address: deployed.contractAddress });
      }
      provider.removeAllListeners();
      provider.destroy();
      await this.node.disconnect();
    },
  },
};

function wsFrame(payload, masked) {
  const head = [0x81];
  if (payload.length < 126) head.push((masked ? 0x80 : 0) | payload.length);
  else head.push((masked ? 0x80 : 0) | 126, payload.length >> 8, payload.length & 255);
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const mask = crypto.randomBytes(4);
  return Buffer.concat([Buffer.from(head), mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]))]);
}

const spec = families[family];
if (!spec) throw new Error(`unknown --family ${family}; one of ${Object.keys(families).join(', ')}`);
let server;
if (spec.createServer) {
  server = await spec.createServer();
} else if (spec.h2) {
  server = http2.createSecureServer(tlsOptions);
  server.on('stream', (s) => spec.stream(s));
} else {
  server = https.createServer(tlsOptions, async (req, res) => {
    try { await spec.handle(req, res, await readBody(req)); } catch (e) { console.error(e); if (!res.headersSent) res.writeHead(500).end(); }
  });
  if (spec.upgrade) server.on('upgrade', (req, socket) => spec.upgrade(req, socket));
}
await new Promise((r) => server.listen(port, host, r));
await spec.client();
server.closeAllConnections?.();
server.close();
console.log(`DONE ${family}`);
