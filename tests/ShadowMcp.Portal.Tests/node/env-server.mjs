// A stdio MCP server (official TypeScript SDK) with one tool that shows the environment it was started with,
// like server-everything's printEnv: the portal must not hand its own secrets to such a process.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

const server = new McpServer({ name: "env-fixture", version: "1.0.0" });
server.registerTool(
  "print_env",
  { description: "Returns the process environment as JSON", inputSchema: {}, annotations: { readOnlyHint: true } },
  async () => ({ content: [{ type: "text", text: JSON.stringify(process.env) }] }),
);
await server.connect(new StdioServerTransport());
