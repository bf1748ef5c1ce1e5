// Shape corpus, held-out client stack: one MCP session from the Vercel AI SDK's MCP client (@ai-sdk/mcp), shaped
// like an agent at work. --url U --transport http|sse --calls N --think-ms M --big BYTES --progress STEPS --idle-ms M
import { createMCPClient } from '@ai-sdk/mcp';
import { parseArgs, assertLoopback } from './args.mjs';

const args = parseArgs(process.argv.slice(2));
const url = new URL(args.url);
assertLoopback(url.hostname);
const num = (k, d) => Number(args[k] ?? d);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const client = await createMCPClient({ transport: { type: args.transport ?? 'http', url: url.href },
  name: args.name ?? 'shape-ai-agent' });
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
