// Shape corpus: one MCP session from the official TypeScript SDK client, shaped like an agent at work: it lists the
// tools, then thinks before each step and calls tools, lists again or reads, in a seeded mix (../gen/ts/agent-mix.mjs).
// Without --seed: the fifth corpus's fixed agent (AGENTS=fixed in generate.sh, the default).
// --url U --transport http|sse (sse: the legacy HTTP+SSE transport, URL of its GET stream) --seed S --calls N --think-ms M (median) --big BYTES --progress STEPS --idle-ms M --reads N (see agent-mix)
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { parseArgs, assertLoopback } from './args.mjs';
import { agentMix } from './agent-mix.mjs';

const args = parseArgs(process.argv.slice(2));
const url = new URL(args.url);
assertLoopback(url.hostname);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mix = agentMix(args);

const transport = args.transport === 'sse' ? new SSEClientTransport(url) : new StreamableHTTPClientTransport(url);
const client = new Client({ name: args.name ?? 'shape-agent', version: '1.0.0' });
await client.connect(transport);
const { tools } = await client.listTools();
const caps = client.getServerCapabilities() ?? {};
const { opening, plan } = mix.steps(tools.map((t) => t.name), { resources: !!caps.resources, prompts: !!caps.prompts });
const run = (step) => {
  if (step.kind === 'list') {
    return step.what === 'tools' ? client.listTools() : step.what === 'resources' ? client.listResources() : client.listPrompts();
  }
  return client.callTool({ name: step.name, arguments: step.arguments }, undefined,
    step.progress ? { onprogress: () => {} } : undefined);
};
for (const step of opening) await run(step);
for (const step of plan) {
  if (step.think !== false) await sleep(mix.think());
  await run(step);
}
await sleep(mix.idleMs());
if (transport.sessionId) await transport.terminateSession().catch(() => {});
await client.close();
console.log('DONE');
