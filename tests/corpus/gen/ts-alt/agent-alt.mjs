// Shape corpus, held-out client stack: one MCP session from the Vercel AI SDK's MCP client (@ai-sdk/mcp), shaped
// like an agent at work with the same seeded mix as agent.mjs (../ts/agent-mix.mjs).
// --url U --transport http|sse --seed S --calls N --think-ms M --big BYTES --progress STEPS --idle-ms M
// Against a server that refuses 2026-07-28 discovery it falls back to initialize.
import { createMCPClient } from '@ai-sdk/mcp';
import { parseArgs, assertLoopback } from './args.mjs';
import { agentMix } from './agent-mix.mjs';

const args = parseArgs(process.argv.slice(2));
const url = new URL(args.url);
assertLoopback(url.hostname);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mix = agentMix(args);

const connect = (discovery) => createMCPClient({ transport: { type: args.transport ?? 'http', url: url.href },
  name: args.name ?? 'shape-ai-agent', protocolVersionDiscovery: discovery });
// The SDK first tries 2026-07-28 discovery; a server that only speaks session-based versions (the C# SDK with
// stateful sessions) refuses it, and the SDK leaves the fallback to the application: this is that application.
const client = await connect(true).catch((e) => {
  if (!/rejected protocol version/.test(String(e?.message))) throw e;
  return connect(false);
});
const { tools } = await client.listTools();
const caps = client.initializeResult?.capabilities ?? {};
const { opening, plan } = mix.steps(tools.map((t) => t.name), { resources: !!caps.resources, prompts: !!caps.prompts });
const run = (step) => {
  if (step.kind === 'list') {
    return step.what === 'tools' ? client.listTools() : step.what === 'resources' ? client.listResources() : client.listPrompts();
  }
  return client.callTool({ name: step.name, arguments: step.arguments });
};
for (const step of opening) await run(step);
for (const step of plan) {
  if (step.think !== false) await sleep(mix.think());
  await run(step);
}
await sleep(mix.idleMs());
await client.close();
console.log('DONE');
