// Shape corpus: a real MCP server from the official TypeScript SDK over HTTPS on loopback.
// --mode stateful (SSE answers, standalone GET stream) | json (JSON answers) | stateless
//   | sse (the deprecated legacy HTTP+SSE transport, 2024-11-05: GET {path}/sse, POSTs to {path}/messages answered
//   202, answers on the stream; a second training server stack for the transport tmcp's held-out one speaks)
// --push-ms N: while a session is open, push a log notification on its GET stream every N ms (idle pushes)
// Tools: echo, fetch_doc (a result of `size` bytes), long_task (`steps` progress notifications `delay_ms` apart).
import https from 'node:https';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { parseArgs, readBody, assertLoopback } from './args.mjs';

const args = parseArgs(process.argv.slice(2));
const host = assertLoopback(args.host ?? '127.0.0.1');
const port = Number(args.port);
const mode = args.mode ?? 'stateful';
const pushMs = Number(args['push-ms'] ?? 0);
const path = args.path ?? '/mcp';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function buildServer() {
  const server = new McpServer({ name: args.name ?? 'shape-ts-server', version: '1.0.0' },
    { capabilities: { logging: {} } });
  server.registerTool('echo', { description: 'Echoes the message.', inputSchema: { message: z.string() } },
    async ({ message }) => ({ content: [{ type: 'text', text: `echo: ${message}` }] }));
  server.registerTool('fetch_doc', { description: 'Returns a document.', inputSchema: { size: z.number() } },
    async ({ size }) => ({ content: [{ type: 'text', text: 'lorem ipsum '.repeat(Math.ceil(size / 12)).slice(0, size) }] }));
  server.registerTool('long_task', { description: 'Works with progress.',
    inputSchema: { steps: z.number(), delay_ms: z.number() } },
  async ({ steps, delay_ms }, extra) => {
    for (let i = 1; i <= steps; i++) {
      await sleep(delay_ms);
      const token = extra._meta?.progressToken;
      if (token !== undefined) {
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: steps } });
      }
    }
    return { content: [{ type: 'text', text: `done ${steps}` }] };
  });
  return server;
}

const sessions = new Map();
const pushers = new Map();

// Starts pushing a log notification every --push-ms while the session is open (idle pushes on its stream).
function startPushes(server, sid) {
  if (pushMs <= 0) return;
  let n = 0;
  pushers.set(sid, setInterval(() => {
    server.server.sendLoggingMessage({ level: 'info', data: `heartbeat ${++n}` }).catch(() => {});
  }, pushMs));
}

// The legacy transport: the GET stream carries the endpoint event and every answer; each POST names its session.
async function handleLegacySse(req, res, body) {
  const url = new URL(req.url, 'https://localhost');
  if (req.method === 'GET' && url.pathname === `${path}/sse`) {
    const server = buildServer();
    const transport = new SSEServerTransport(`${path}/messages`, res);
    sessions.set(transport.sessionId, transport);
    transport.onclose = () => { sessions.delete(transport.sessionId); clearInterval(pushers.get(transport.sessionId)); };
    await server.connect(transport);
    startPushes(server, transport.sessionId);
    return;
  }
  const transport = req.method === 'POST' && url.pathname === `${path}/messages`
    ? sessions.get(url.searchParams.get('sessionId')) : undefined;
  if (!transport) { res.writeHead(404).end(); return; }
  await transport.handlePostMessage(req, res, body);
}

async function handle(req, res) {
  const body = req.method === 'POST' ? JSON.parse(await readBody(req)) : undefined;
  if (mode === 'sse') { await handleLegacySse(req, res, body); return; }
  if (mode === 'stateless') {
    const server = buildServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => { transport.close(); server.close(); });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    return;
  }
  const id = req.headers['mcp-session-id'];
  let transport = id ? sessions.get(id) : undefined;
  if (!transport && req.method === 'POST' && isInitializeRequest(body)) {
    const server = buildServer();
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: mode === 'json',
      onsessioninitialized: (sid) => {
        sessions.set(sid, transport);
        startPushes(server, sid);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) { sessions.delete(transport.sessionId); clearInterval(pushers.get(transport.sessionId)); }
    };
    await server.connect(transport);
  }
  if (!transport) { res.writeHead(404).end(); return; }
  await transport.handleRequest(req, res, body);
}

const tls = { key: fs.readFileSync(args['tls-key']), cert: fs.readFileSync(args['tls-cert']) };
if (args['tls-max']) tls.maxVersion = args['tls-max'];
const httpServer = https.createServer(tls, (req, res) => {
  if (!req.url.startsWith(path)) { res.writeHead(404).end(); return; }
  handle(req, res).catch((e) => { console.error(e); if (!res.headersSent) res.writeHead(500).end(); });
});
httpServer.listen(port, host, () => console.log(`READY https://${host}:${port}${path}`));
