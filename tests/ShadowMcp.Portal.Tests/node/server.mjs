// Official TypeScript SDK MCP server used as a portal upstream.
// Usage: node server.mjs stdio | node server.mjs http   (http prints "LISTENING <url>" once bound on 127.0.0.1)
import http from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

function buildServer() {
  const server = new McpServer({ name: "ts-fixture", version: "1.0.0" });
  server.registerTool(
    "shout",
    { description: "Upper-cases the text", inputSchema: { text: z.string() }, annotations: { readOnlyHint: true } },
    async ({ text }) => ({ content: [{ type: "text", text: `TS: ${text.toUpperCase()}` }] }),
  );
  server.registerTool(
    "card",
    { description: "Returns a test card number", inputSchema: {} },
    async () => ({ content: [{ type: "text", text: "card 4111 1111 1111 1111" }] }),
  );
  // Mid-call traffic, which the portal must relay to the caller (over stdio, where the server can ask).
  server.registerTool(
    "progress",
    { description: "Reports three progress steps", inputSchema: {} },
    async (_args, extra) => {
      const token = extra._meta?.progressToken;
      for (let i = 1; i <= 3; i++) {
        if (token !== undefined) {
          await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: i, total: 3, message: `ts step ${i}` } });
        }
        await new Promise((r) => setTimeout(r, 60));
      }
      return { content: [{ type: "text", text: "TS progress done" }] };
    },
  );
  server.registerTool(
    "ask",
    { description: "Asks the user for a colour (elicitation)", inputSchema: {} },
    async () => {
      const answer = await server.server.elicitInput({
        message: "Which colour does the TS server want?",
        requestedSchema: { type: "object", properties: { colour: { type: "string" } } },
      });
      return { content: [{ type: "text", text: `TS answer: ${answer.action} ${answer.content?.colour ?? ""}` }] };
    },
  );
  return server;
}

const mode = process.argv[2] ?? "stdio";
if (mode === "stdio") {
  await buildServer().connect(new StdioServerTransport());
} else {
  const httpServer = http.createServer(async (req, res) => {
    if (!req.url?.startsWith("/mcp")) { res.writeHead(404).end(); return; }
    let body = "";
    for await (const chunk of req) body += chunk;
    const server = buildServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => { transport.close(); server.close(); });
    await server.connect(transport);
    await transport.handleRequest(req, res, body ? JSON.parse(body) : undefined);
  });
  httpServer.listen(0, "127.0.0.1", () => {
    const { port } = httpServer.address();
    console.log(`LISTENING http://127.0.0.1:${port}/mcp`);
  });
  process.stdin.on("end", () => httpServer.close(() => process.exit(0)));
  process.stdin.resume();
}
