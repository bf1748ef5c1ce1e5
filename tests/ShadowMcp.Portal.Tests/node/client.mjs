// Official TypeScript SDK client: connects through the portal, lists tools, calls one, prints JSON.
// Usage: node client.mjs URL TOKEN TOOL [TEXT]
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, token, tool, text = "from ts"] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${token}` } },
});
const client = new Client({ name: "ts-client", version: "2.0.0" });
try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  let result = null, error = null;
  try {
    result = await client.callTool({ name: tool, arguments: { text } });
  } catch (e) {
    error = { code: e.code ?? null, message: String(e.message ?? e) };
  }
  console.log(JSON.stringify({ protocol: transport.protocolVersion ?? null, tools: tools.map((t) => t.name), result, error }));
  await client.close();
} catch (e) {
  console.log(JSON.stringify({ fatal: String(e.message ?? e) }));
  process.exitCode = 2;
}
