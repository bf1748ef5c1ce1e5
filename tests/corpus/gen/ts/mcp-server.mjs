// Real MCP server from the official TypeScript SDK on loopback.
// --mode stateful (SSE responses) | json (enableJsonResponse) | stateless (no session id) | sse (legacy HTTP+SSE)
// --tls-key K --tls-cert C [--tls-max TLSv1.2] [--ciphers LIST]: HTTPS instead of HTTP (key log: node --tls-keylog=F)
import http from 'node:http';
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
const port = Number(args.port ?? 18201);
const mode = args.mode ?? 'stateful';
const path = args.path ?? (mode === 'sse' ? '/sse' : '/mcp');
const messagesPath = args['messages-path'] ?? '/messages';
const name = args.name ?? 'corpus-ts-server';

function buildServer() {
  const server = new McpServer({ name, version: '2.7.0' });
  server.registerTool('echo', { description: 'Echoes the message back.', inputSchema: { message: z.string() } },
    async ({ message }) => ({ content: [{ type: 'text', text: `echo: ${message}` }] }));
  server.registerTool('get_weather', { description: 'Returns a canned forecast.', inputSchema: { city: z.string() } },
    async ({ city }) => ({ content: [{ type: 'text', text: `${city}: sunny` }] }));
  server.registerPrompt('review_code', { description: 'Review a diff.', argsSchema: { diff: z.string() } },
    ({ diff }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Review: ${diff}` } }] }));
  server.registerResource('handbook', 'corpus://handbook', { description: 'Team handbook.', mimeType: 'text/plain' },
    async (uri) => ({ contents: [{ uri: uri.href, text: 'Be kind.' }] }));
  return server;
}

const sessions = new Map();

async function streamable(req, res) {
  const body = req.method === 'POST' ? JSON.parse(await readBody(req)) : undefined;
  if (mode === 'stateless') {
    if (req.method !== 'POST') { res.writeHead(405, { Allow: 'POST' }).end(); return; }
    const server = buildServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => { transport.close(); server.close(); });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    return;
  }
  const sid = req.headers['mcp-session-id'];
  let transport = sid ? sessions.get(sid) : undefined;
  if (!transport && req.method === 'POST' && !sid && isInitializeRequest(body)) {
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: mode === 'json',
      onsessioninitialized: (id) => sessions.set(id, transport),
    });
    transport.onclose = () => { if (transport.sessionId) sessions.delete(transport.sessionId); };
    await buildServer().connect(transport);
  }
  if (!transport) {
    // The SDK examples answer this way; kept so the capture shows what a real deployment sends.
    res.writeHead(400, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID provided' }, id: null }));
    return;
  }
  await transport.handleRequest(req, res, body);
}

async function legacySse(req, res, url) {
  if (req.method === 'GET' && url.pathname === path) {
    const transport = new SSEServerTransport(messagesPath, res);
    sessions.set(transport.sessionId, transport);
    res.on('close', () => sessions.delete(transport.sessionId));
    await buildServer().connect(transport);
    return;
  }
  if (req.method === 'POST' && url.pathname === messagesPath) {
    const transport = sessions.get(url.searchParams.get('sessionId'));
    if (!transport) { res.writeHead(404).end('Unknown session'); return; }
    await transport.handlePostMessage(req, res, JSON.parse(await readBody(req)));
    return;
  }
  res.writeHead(404).end();
}

const tls = args['tls-key'] ? {
  key: fs.readFileSync(args['tls-key']), cert: fs.readFileSync(args['tls-cert']),
  maxVersion: args['tls-max'] ?? 'TLSv1.3', ...(args.ciphers ? { ciphers: args.ciphers } : {}),
} : undefined;
const handler = async (req, res) => {
  try {
    const url = new URL(req.url, `http://${req.headers.host}`);
    if (mode === 'sse') { await legacySse(req, res, url); return; }
    if (url.pathname !== path) { res.writeHead(404).end(); return; }
    await streamable(req, res);
  } catch (e) {
    console.error(e);
    if (!res.headersSent) res.writeHead(500).end();
  }
};
const httpServer = tls ? https.createServer(tls, handler) : http.createServer(handler);

httpServer.listen(port, host, () => console.log(`READY ${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}${path}`));
process.on('SIGTERM', () => { httpServer.closeAllConnections(); httpServer.close(() => process.exit(0)); });
