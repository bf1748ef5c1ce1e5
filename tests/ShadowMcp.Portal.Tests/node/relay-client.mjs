// Official TypeScript SDK client that can answer elicitation: calls a tool that reports progress and one that
// asks the user a question, through the portal, and prints what it saw as JSON.
// Usage: node relay-client.mjs URL TOKEN PROGRESS_TOOL ASK_TOOL ANSWER
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const [url, token, progressTool, askTool, answer] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${token}` } },
});
const client = new Client({ name: "ts-relay-client", version: "1.0.0" }, { capabilities: { elicitation: {} } });
const asked = [];
client.setRequestHandler(ElicitRequestSchema, async (request) => {
  asked.push(request.params.message);
  return { action: "accept", content: { colour: answer } };
});
try {
  await client.connect(transport);
  const progress = [];
  const progressResult = await client.callTool({ name: progressTool, arguments: {} }, undefined, {
    onprogress: (p) => progress.push(p.message),
  });
  const askResult = await client.callTool({ name: askTool, arguments: {} });
  console.log(JSON.stringify({
    progress,
    progressText: progressResult.content[0].text,
    asked,
    askText: askResult.content[0].text,
  }));
  await client.close();
} catch (e) {
  console.log(JSON.stringify({ fatal: String(e.message ?? e) }));
  process.exitCode = 2;
}
