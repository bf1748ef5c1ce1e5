// Non-MCP traffic that looks like MCP at a glance: a real HTTP server and client on loopback in one process.
// --kind lsp | acp | ethereum | openai-sse | jsonrpc-sse | rest-mcp | graphql
// --tls-key K --tls-cert C [--tls-max TLSv1.2]: HTTPS (the client trusts it via NODE_TLS_REJECT_UNAUTHORIZED=0)
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import { parseArgs, readBody, assertLoopback } from './args.mjs';

const args = parseArgs(process.argv.slice(2));
const host = assertLoopback(args.host ?? '127.0.0.1');
const port = Number(args.port ?? 18301);
const kind = args.kind;
const tlsOptions = args['tls-key'] ? { key: fs.readFileSync(args['tls-key']), cert: fs.readFileSync(args['tls-cert']), maxVersion: args['tls-max'] ?? 'TLSv1.3', ...(args.ciphers ? { ciphers: args.ciphers } : {}) } : undefined;
const base = `${tlsOptions ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const json = (res, status, value) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
const rpcResult = (id, result) => ({ jsonrpc: '2.0', id, result });

async function sseEvents(res, events, gapMs = 20) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  for (const e of events) { res.write(e); await sleep(gapMs); }
  res.end();
}

// Each kind: a request handler and a client script that exercises it.
const kinds = {
  // A language server reached over HTTP (as some editor bridges do): LSP initialize has processId/rootUri.
  lsp: {
    async handle(req, res, body) {
      const msg = JSON.parse(body);
      if (msg.method === 'initialize') {
        json(res, 200, rpcResult(msg.id, {
          capabilities: { textDocumentSync: 2, hoverProvider: true, completionProvider: { triggerCharacters: ['.'] } },
          serverInfo: { name: 'pyright', version: '1.1.389' },
        }));
      } else if (msg.id !== undefined) {
        json(res, 200, rpcResult(msg.id, { contents: { kind: 'markdown', value: '`def main() -> None`' } }));
      } else {
        res.writeHead(204).end();
      }
    },
    async client() {
      await post('/lsp', { jsonrpc: '2.0', id: 1, method: 'initialize', params: {
        processId: 4242, rootUri: 'file:///home/dev/project', clientInfo: { name: 'vscode', version: '1.96.0' },
        capabilities: { textDocument: { hover: { contentFormat: ['markdown'] } }, workspace: { workspaceFolders: true } },
        trace: 'off', workspaceFolders: [{ uri: 'file:///home/dev/project', name: 'project' }] } });
      await post('/lsp', { jsonrpc: '2.0', method: 'initialized', params: {} });
      await post('/lsp', { jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///home/dev/project/main.py', languageId: 'python', version: 1, text: 'def main():\n    pass\n' } } });
      await post('/lsp', { jsonrpc: '2.0', id: 2, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///home/dev/project/main.py' }, position: { line: 0, character: 5 } } });
    },
  },
  // Agent Client Protocol style: integer protocolVersion and clientCapabilities.
  acp: {
    async handle(req, res, body) {
      const msg = JSON.parse(body);
      if (msg.method === 'initialize') {
        json(res, 200, rpcResult(msg.id, { protocolVersion: 1, agentCapabilities: { loadSession: true, promptCapabilities: { image: false, audio: false, embeddedContext: true } }, authMethods: [] }));
      } else if (msg.method === 'session/new') {
        json(res, 200, rpcResult(msg.id, { sessionId: 'sess_7f3a9c' }));
      } else {
        json(res, 200, rpcResult(msg.id, { stopReason: 'end_turn' }));
      }
    },
    async client() {
      await post('/acp', { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: 1, clientCapabilities: { fs: { readTextFile: true, writeTextFile: true }, terminal: true } } });
      await post('/acp', { jsonrpc: '2.0', id: 1, method: 'session/new', params: { cwd: '/home/dev/project', mcpServers: [] } });
      await post('/acp', { jsonrpc: '2.0', id: 2, method: 'session/prompt', params: { sessionId: 'sess_7f3a9c', prompt: [{ type: 'text', text: 'List the files' }] } });
    },
  },
  // An Ethereum node's JSON-RPC API, including a batch.
  ethereum: {
    async handle(req, res, body) {
      const msg = JSON.parse(body);
      const answer = (m) => rpcResult(m.id, ({ eth_blockNumber: '0x13a52f1', eth_getBalance: '0x1bc16d674ec80000', eth_chainId: '0x1', net_version: '1', eth_gasPrice: '0x3b9aca00' })[m.method] ?? null);
      json(res, 200, Array.isArray(msg) ? msg.map(answer) : answer(msg));
    },
    async client() {
      await post('/', { jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] });
      await post('/', { jsonrpc: '2.0', id: 2, method: 'eth_getBalance', params: ['0x742d35Cc6634C0532925a3b844Bc454e4438f44e', 'latest'] });
      await post('/', [
        { jsonrpc: '2.0', id: 3, method: 'eth_chainId', params: [] },
        { jsonrpc: '2.0', id: 4, method: 'net_version', params: [] },
        { jsonrpc: '2.0', id: 5, method: 'eth_gasPrice', params: [] },
      ]);
    },
  },
  // OpenAI-style streamed chat completion: SSE data chunks then [DONE].
  'openai-sse': {
    async handle(req, res) {
      const words = ['Hello', ' from', ' a', ' chat', ' stream', '.'];
      const chunk = (delta, finish) => `data: ${JSON.stringify({ id: 'chatcmpl-9x8y7z', object: 'chat.completion.chunk', created: 1764130000, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      await sseEvents(res, [chunk({ role: 'assistant', content: '' }, null), ...words.map((w) => chunk({ content: w }, null)), chunk({}, 'stop'), 'data: [DONE]\n\n']);
    },
    async client() {
      const r = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', Authorization: 'Bearer sk-corpus-not-a-key' },
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Say hello' }] }) });
      await r.text();
    },
  },
  // A non-MCP push feed that happens to use JSON-RPC notifications over SSE.
  'jsonrpc-sse': {
    async handle(req, res) {
      const tick = (i) => `id: ${i}\nevent: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'ticker/update', params: { symbol: 'ACME', price: 101.5 + i, seq: i } })}\n\n`;
      await sseEvents(res, [': feed v2\n\n', ...[1, 2, 3, 4].map(tick), `data: ${JSON.stringify({ jsonrpc: '2.0', method: 'ticker/heartbeat', params: {} })}\n\n`]);
    },
    async client() {
      const r = await fetch(`${base}/stream/ticker`, { headers: { Accept: 'text/event-stream' } });
      await r.text();
    },
  },
  // A plain REST API whose collection happens to be called /mcp (e.g. "media content packages").
  'rest-mcp': {
    async handle(req, res, body) {
      const url = new URL(req.url, base);
      if (req.method === 'GET' && url.pathname === '/mcp') {
        json(res, 200, { items: [{ id: 41, name: 'spring-catalog', kind: 'media-content-package' }, { id: 42, name: 'summer-catalog', kind: 'media-content-package' }], next: null });
      } else if (req.method === 'GET') {
        json(res, 200, { id: 42, name: 'summer-catalog', files: 17 });
      } else if (req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
        res.writeHead(303, { Location: '/mcp/43' }).end();
      } else {
        json(res, 201, { id: 44, ...JSON.parse(body), created: true });
      }
    },
    async client() {
      await (await fetch(`${base}/mcp?limit=2`, { headers: { Accept: 'application/json' } })).text();
      await (await fetch(`${base}/mcp`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'name=autumn-catalog&kind=media-content-package' })).text();
      await (await fetch(`${base}/mcp`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ name: 'winter-catalog', kind: 'media-content-package', method: 'upload' }) })).text();
      await (await fetch(`${base}/mcp/42`)).text();
    },
  },
  // A GraphQL API: POST /graphql with query + variables, answered with data/errors (no jsonrpc member).
  graphql: {
    async handle(req, res, body) {
      const msg = JSON.parse(body);
      if (msg.query.includes('viewer')) json(res, 200, { data: { viewer: { login: 'corpus', repositories: { totalCount: 3 } } } });
      else json(res, 200, { data: null, errors: [{ message: `Cannot query field on type Query`, locations: [{ line: 1, column: 3 }] }] });
    },
    async client() {
      await post('/graphql', { query: 'query { viewer { login repositories { totalCount } } }', variables: {} });
      await post('/graphql', { query: 'query Tools($first: Int) { tools(first: $first) { name } }', variables: { first: 5 }, operationName: 'Tools' });
    },
  },
};

async function post(path, value) {
  const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(value) });
  await r.text();
}

const spec = kinds[kind];
if (!spec) throw new Error(`unknown --kind ${kind}; one of ${Object.keys(kinds).join(', ')}`);
const handler = async (req, res) => {
  try { await spec.handle(req, res, await readBody(req)); } catch (e) { console.error(e); if (!res.headersSent) res.writeHead(500).end(); }
};
const server = tlsOptions ? https.createServer(tlsOptions, handler) : http.createServer(handler);
await new Promise((r) => server.listen(port, host, r));
await spec.client();
server.closeAllConnections();
server.close();
console.log(`DONE ${kind} ${base}`);
