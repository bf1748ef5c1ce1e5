// Shape corpus, held-out client stack: one MCP session from the Vercel AI SDK's MCP client (@ai-sdk/mcp), shaped
// like an agent at work. --url U --transport http|sse --calls N --think-ms M --big BYTES --progress STEPS --idle-ms M
// (each like agent.mjs). Against a server that refuses 2026-07-28 discovery it falls back to initialize.
import { createMCPClient } from '@ai-sdk/mcp';
import { parseArgs, assertLoopback } from './args.mjs';

const args = parseArgs(process.argv.slice(2));
const url = new URL(args.url);
assertLoopback(url.hostname);
const num = (k, d) => Number(args[k] ?? d);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const connect = (discovery) => createMCPClient({ transport: { type: args.transport ?? 'http', url: url.href },
  name: args.name ?? 'shape-ai-agent', protocolVersionDiscovery: discovery });
// The SDK first tries 2026-07-28 discovery; a server that only speaks session-based versions (the C# SDK with
// stateful sessions) refuses it, and the SDK leaves the fallback to the application: this is that application.
const client = await connect(true).catch((e) => {
  if (!/rejected protocol version/.test(String(e?.message))) throw e;
  return connect(false);
});
await client.listTools();
for (let i = 0; i < num('calls', 1); i++) {
  await sleep(num('think-ms', 0));
  await client.callTool({ name: 'echo', arguments: { message: `step ${i} ` + 'x'.repeat(i * 37 % 300) } });
}
if (num('big', 0) > 0) await client.callTool({ name: 'fetch_doc', arguments: { size: num('big', 0) } });
if (num('progress', 0) > 0) {
  await client.callTool({ name: 'long_task', arguments: { steps: num('progress', 0), delay_ms: 150 } });
}
await sleep(num('idle-ms', 0));
await client.close();
console.log('DONE');
