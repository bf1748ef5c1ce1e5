// Shape corpus, held-out server stack: an MCP server built on tmcp (not the official SDK) over HTTPS on loopback.
// --transport http (Streamable HTTP at /mcp) | sse (the legacy HTTP+SSE transport: GET /sse, POST /message)
// --push-ms N: while a session is open, log a notification every N ms (pushes on an idle stream)
// Tools: echo, fetch_doc (a result of `size` bytes), long_task (`steps` progress notifications `delay_ms` apart).
import https from 'node:https';
import fs from 'node:fs';
import { z } from 'zod';
import { McpServer } from 'tmcp';
import { ZodJsonSchemaAdapter } from '@tmcp/adapter-zod';
import { HttpTransport } from '@tmcp/transport-http';
import { SseTransport } from '@tmcp/transport-sse';
import { parseArgs, assertLoopback } from './args.mjs';

const args = parseArgs(process.argv.slice(2));
const host = assertLoopback(args.host ?? '127.0.0.1');
const port = Number(args.port);
const pushMs = Number(args['push-ms'] ?? 0);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const server = new McpServer({ name: args.name ?? 'shape-tmcp', version: '1.0.0', description: 'shape corpus' },
  { adapter: new ZodJsonSchemaAdapter(), capabilities: { tools: { listChanged: true }, logging: {} } });
server.tool({ name: 'echo', description: 'Echoes the message.', schema: z.object({ message: z.string() }) },
  async ({ message }) => ({ content: [{ type: 'text', text: `echo: ${message}` }] }));
server.tool({ name: 'fetch_doc', description: 'Returns a document.', schema: z.object({ size: z.number() }) },
  async ({ size }) => ({ content: [{ type: 'text', text: 'lorem ipsum '.repeat(Math.ceil(size / 12)).slice(0, size) }] }));
server.tool({ name: 'long_task', description: 'Works with progress.',
  schema: z.object({ steps: z.number(), delay_ms: z.number() }) }, async ({ steps, delay_ms }) => {
  for (let i = 1; i <= steps; i++) { await sleep(delay_ms); server.progress(i, steps); }
  return { content: [{ type: 'text', text: `done ${steps}` }] };
});
if (pushMs > 0) {
  let n = 0;
  setInterval(() => { try { server.log('info', `heartbeat ${++n}`); } catch { /* no session yet */ } }, pushMs);
}

const transport = args.transport === 'sse'
  ? new SseTransport(server, { path: '/sse', endpoint: '/message' })
  : new HttpTransport(server, { path: '/mcp' });

// node:https speaks IncomingMessage/ServerResponse, tmcp speaks fetch's Request/Response: convert both ways.
async function toRequest(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const body = ['GET', 'HEAD'].includes(req.method) ? undefined : Buffer.concat(chunks);
  const abort = new AbortController();
  req.socket.on('close', () => abort.abort());
  return new Request(`https://${req.headers.host}${req.url}`, { method: req.method, headers, body, signal: abort.signal });
}

async function send(response, res) {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) { res.end(); return; }
  const reader = response.body.getReader();
  res.on('close', () => reader.cancel().catch(() => {}));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    res.write(value);
  }
  res.end();
}

const tlsOptions = { key: fs.readFileSync(args['tls-key']), cert: fs.readFileSync(args['tls-cert']) };
if (args['tls-max']) tlsOptions.maxVersion = args['tls-max'];
const httpServer = https.createServer(tlsOptions, async (req, res) => {
  try {
    const response = await transport.respond(await toRequest(req));
    await send(response ?? new Response(null, { status: 404 }), res);
  } catch (e) {
    if (!res.headersSent) res.writeHead(500).end();
    else res.destroy(e);
  }
});
httpServer.listen(port, host, () => console.log(`READY https://${host}:${port}`));
