// Real MCP client from the official TypeScript SDK. Prints a RESULT line with what the SDK reports.
// --transport streamable (StreamableHTTPClientTransport) | sse (SSEClientTransport)
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { parseArgs, assertLoopback } from './args.mjs';
import { createH2Fetch } from './h2-fetch.mjs';

const args = parseArgs(process.argv.slice(2));
const url = new URL(args.url ?? 'http://127.0.0.1:18201/mcp');
assertLoopback(url.hostname);
const kind = args.transport ?? 'streamable';

// --http2: every request over one HTTP/2 session (ALPN h2) instead of Node's HTTP/1.1 fetch.
const h2 = args.http2 ? createH2Fetch(url.origin) : undefined;
const options = h2 ? { fetch: h2 } : undefined;
const transport = kind === 'sse' ? new SSEClientTransport(url, options) : new StreamableHTTPClientTransport(url, options);
// The client hands the negotiated version to the transport through this hook; record it on the way.
let negotiated;
const setVersion = transport.setProtocolVersion?.bind(transport);
transport.setProtocolVersion = (v) => { negotiated = v; setVersion?.(v); };

const client = new Client({ name: 'corpus-ts-client', version: '0.3.0' });
await client.connect(transport);
const caps = client.getServerCapabilities() ?? {};
const tools = await client.listTools();
const call = await client.callTool({ name: 'echo', arguments: { message: 'hello corpus' } });
const prompts = caps.prompts ? (await client.listPrompts()).prompts : [];
const resources = caps.resources ? (await client.listResources()).resources : [];
const server = client.getServerVersion();
console.log('RESULT ' + JSON.stringify({
  negotiated,
  server_name: server?.name,
  server_version: server?.version,
  tools: tools.tools.map((t) => t.name),
  prompts: prompts.map((p) => p.name),
  resources: resources.map((r) => r.uri),
  call_error: call.isError ?? false,
}));
if (kind !== 'sse' && transport.sessionId) await transport.terminateSession();
await client.close();
h2?.close();
