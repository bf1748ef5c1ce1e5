// Shape corpus: one MCP session from the official TypeScript SDK client, shaped like an agent at work.
// --url U --calls N --think-ms M (pause before each call) --big BYTES (one large result)
// --progress STEPS (one long task with progress) --idle-ms M (sit idle with the session open, e.g. for pushes)
// --reads N (N large results of 8-120 kB after think time, as an agent reading files or pages through a server)
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { parseArgs, assertLoopback } from './args.mjs';

const args = parseArgs(process.argv.slice(2));
const url = new URL(args.url);
assertLoopback(url.hostname);
const num = (k, d) => Number(args[k] ?? d);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const transport = new StreamableHTTPClientTransport(url);
const client = new Client({ name: args.name ?? 'shape-agent', version: '1.0.0' });
await client.connect(transport);
await client.listTools();
for (let i = 0; i < num('calls', 1); i++) {
  await sleep(num('think-ms', 0));
  await client.callTool({ name: 'echo', arguments: { message: `step ${i} ` + 'x'.repeat(i * 37 % 300) } });
}
if (num('big', 0) > 0) await client.callTool({ name: 'fetch_doc', arguments: { size: num('big', 0) } });
for (let i = 0; i < num('reads', 0); i++) {
  await sleep(num('think-ms', 0));
  await client.callTool({ name: 'fetch_doc', arguments: { size: 8000 + (i * 37_337) % 112_000 } });
}
if (num('progress', 0) > 0) {
  await client.callTool({ name: 'long_task', arguments: { steps: num('progress', 0), delay_ms: 150 } },
    undefined, { onprogress: () => {} });
}
await sleep(num('idle-ms', 0));
if (transport.sessionId) await transport.terminateSession().catch(() => {});
await client.close();
console.log('DONE');
