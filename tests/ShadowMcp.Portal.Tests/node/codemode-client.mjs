// Official TypeScript SDK client in code mode: lists tools, runs one search and one execute, prints JSON.
// Usage: node codemode-client.mjs URL TOKEN SEARCH_CODE EXECUTE_CODE
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, token, searchCode, executeCode] = process.argv.slice(2);
const endpoint = new URL(url);
endpoint.searchParams.set("codemode", "search_and_execute");
const transport = new StreamableHTTPClientTransport(endpoint, {
  requestInit: { headers: { Authorization: `Bearer ${token}` } },
});
const client = new Client({ name: "ts-codemode-client", version: "1.0.0" });
try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  const search = await client.callTool({ name: "portal_codemode_search", arguments: { code: searchCode } });
  const execute = await client.callTool({ name: "portal_codemode_execute", arguments: { code: executeCode } });
  const text = (r) => r.content.filter((c) => c.type === "text").map((c) => c.text);
  console.log(JSON.stringify({ tools: tools.map((t) => t.name), search: text(search), execute: text(execute), executeIsError: execute.isError ?? false }));
  await client.close();
} catch (e) {
  console.log(JSON.stringify({ fatal: String(e.message ?? e) }));
  process.exitCode = 2;
}
