// Official TypeScript SDK stdio server whose "die" tool kills the process mid-call: the portal must reconnect.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
const server = new McpServer({ name: "die-fixture", version: "1.0.0" });
server.registerTool("echo", { description: "echo", inputSchema: {} }, async () => ({ content: [{ type: "text", text: "alive " + process.pid }] }));
server.registerTool("die", { description: "exits", inputSchema: {} }, async () => { process.exit(1); });
await server.connect(new StdioServerTransport());
