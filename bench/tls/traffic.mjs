// TLS-heavy loopback traffic for bench/tls/tls-bench.sh: HTTPS servers (TLS 1.3 and TLS 1.2) and clients in one
// process, MCP-style JSON-RPC POSTs with SSE answers plus bulk downloads. Run with node --tls-keylog=FILE.
// Usage: node traffic.mjs KEY CERT CONNECTIONS REQUESTS_PER_CONNECTION
import https from 'node:https';
import fs from 'node:fs';

const [key, cert, connections = '200', perConnection = '20'] = process.argv.slice(2);
const tls = { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
const filler = 'x'.repeat(1500);

function handler(req, res) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.url.startsWith('/download')) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(Buffer.alloc(256 * 1024, 7));
      return;
    }
    const msg = JSON.parse(Buffer.concat(chunks).toString() || '{}');
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Mcp-Session-Id': 'bench-session' });
    res.end(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text: filler }] } })}\n\n`);
  });
}

const servers = [
  https.createServer({ ...tls, maxVersion: 'TLSv1.3' }, handler),
  https.createServer({ ...tls, maxVersion: 'TLSv1.2' }, handler),
];
await Promise.all(servers.map((s, i) => new Promise((r) => s.listen(18701 + i, '127.0.0.1', r))));

function request(agent, port, path, body) {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', agent, rejectUnauthorized: false,
      headers: body ? { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' } : {} }, (res) => {
      res.on('data', () => {});
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(body);
  });
}

for (let c = 0; c < Number(connections); c++) {
  const port = 18701 + (c % 2);
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < Number(perConnection); i++) {
    const body = JSON.stringify({ jsonrpc: '2.0', id: i + 1, method: 'tools/call', params: { name: 'echo', arguments: { message: filler } } });
    await request(agent, port, '/mcp', body);
  }
  if (c % 10 === 0) await request(agent, port, '/download');
  agent.destroy();
}
servers.forEach((s) => s.close());
console.log('DONE');
