using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

/// <summary>Observation sequences of whole MCP sessions, as the Scanner would emit them in capture order.</summary>
internal static class Sessions
{
    private const string AcceptPair = "application/json, text/event-stream";

    /// <summary>2025-06-18 Streamable HTTP with SSE responses and a session, three connections to 10.0.0.5:8123/mcp.</summary>
    public static List<Observation> StreamableHttp2025(string client = "10.0.0.7", string host = "tools.corp.example")
    {
        var f1 = Obs.Flow(client, 50001, "10.0.0.5", 8123);
        var f2 = Obs.Flow(client, 50002, "10.0.0.5", 8123);
        var f3 = Obs.Flow(client, 50003, "10.0.0.5", 8123);
        return
        [
            Obs.Request(f1, 0, "POST", "/mcp", host, ("accept", AcceptPair), ("content-type", "application/json")),
            Obs.Rpc(f1, 0, """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"claude-code","version":"2.1"}}}""", "http.request", "POST", "/mcp"),
            Obs.Response(f1, 1, 200, "text/event-stream", "POST", "/mcp", ("mcp-session-id", "9f1c")),
            Obs.Sse(f1, 1, "message", "{...}", "POST", "/mcp"),
            Obs.Rpc(f1, 1, """{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"weather-server","version":"1.4.2"}}}""", "sse", "POST", "/mcp"),
            Obs.Request(f2, 2, "POST", "/mcp", host, ("accept", AcceptPair), ("mcp-session-id", "9f1c"), ("mcp-protocol-version", "2025-06-18")),
            Obs.Rpc(f2, 2, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", "http.request", "POST", "/mcp", ("mcp-session-id", "9f1c")),
            Obs.Response(f2, 2, 202, null, "POST", "/mcp"),
            Obs.Request(f3, 3, "POST", "/mcp", host, ("accept", AcceptPair), ("mcp-session-id", "9f1c"), ("mcp-protocol-version", "2025-06-18")),
            Obs.Rpc(f3, 3, """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""", "http.request", "POST", "/mcp"),
            Obs.Response(f3, 4, 200, "text/event-stream", "POST", "/mcp", ("mcp-session-id", "9f1c")),
            Obs.Rpc(f3, 4, """{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"get_forecast","inputSchema":{"type":"object"}},{"name":"get_alerts","inputSchema":{"type":"object"}}]}}""", "sse", "POST", "/mcp"),
        ];
    }

    /// <summary>2026-07-28: no initialize, no session; server/discover then tools/call with Mcp-Method/Mcp-Name.</summary>
    public static List<Observation> Stateless2026()
    {
        var f1 = Obs.Flow("10.0.0.8", 41000, "10.0.0.6", 5000);
        var f2 = Obs.Flow("10.0.0.8", 41001, "10.0.0.6", 5000);
        const string meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientInfo\":{\"name\":\"ModelContextProtocol.Client\",\"version\":\"2.4.0\"},\"io.modelcontextprotocol/clientCapabilities\":{}}";
        return
        [
            Obs.Request(f1, 0, "POST", "/api/agent-tools", "10.0.0.6", ("accept", AcceptPair), ("mcp-protocol-version", "2026-07-28"), ("mcp-method", "server/discover")),
            Obs.Rpc(f1, 0, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\",\"params\":{" + meta + "}}", "http.request", "POST", "/api/agent-tools"),
            Obs.Response(f1, 0, 200, "application/json", "POST", "/api/agent-tools"),
            Obs.Rpc(f1, 0, """{"jsonrpc":"2.0","id":1,"result":{"resultType":"complete","supportedVersions":["2026-07-28"],"capabilities":{"tools":{}},"_meta":{"io.modelcontextprotocol/serverInfo":{"name":"InventoryServer","version":"3.0.1"}}}}""", "http.response", "POST", "/api/agent-tools"),
            Obs.Request(f2, 5, "POST", "/api/agent-tools", "10.0.0.6", ("accept", AcceptPair), ("mcp-protocol-version", "2026-07-28"), ("mcp-method", "tools/call"), ("mcp-name", "count_items")),
            Obs.Rpc(f2, 5, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{" + meta + ",\"name\":\"count_items\",\"arguments\":{}}}", "http.request", "POST", "/api/agent-tools"),
            Obs.Response(f2, 5, 200, "application/json", "POST", "/api/agent-tools"),
        ];
    }

    /// <summary>2024-11-05 HTTP+SSE: GET stream with an endpoint event, then POSTs to the announced message path.</summary>
    public static List<Observation> LegacySse2024(string server = "10.0.0.9", int port = 3001, string streamPath = "/sse", string messageUrl = "/messages?sessionId=7d2a")
    {
        var stream = Obs.Flow("10.0.0.7", 52000, server, port);
        var post1 = Obs.Flow("10.0.0.7", 52001, server, port);
        var post2 = Obs.Flow("10.0.0.7", 52002, server, port);
        // The client resolves a relative message URL against the stream's URL, as a browser would.
        var postTarget = messageUrl.StartsWith('/') ? messageUrl : streamPath[..(streamPath.LastIndexOf('/') + 1)] + messageUrl;
        var messagePath = postTarget[..postTarget.IndexOf('?')];
        return
        [
            Obs.Request(stream, 0, "GET", streamPath, null, ("accept", "text/event-stream")),
            Obs.Response(stream, 0, 200, "text/event-stream", "GET", streamPath),
            Obs.Sse(stream, 0, "endpoint", messageUrl, "GET", streamPath),
            Obs.Request(post1, 1, "POST", postTarget, null, ("content-type", "application/json")),
            Obs.Rpc(post1, 1, """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"mcp-inspector","version":"0.9"}}}""", "http.request", "POST", messagePath),
            Obs.Response(post1, 1, 202, null, "POST", messagePath),
            Obs.Sse(stream, 1, "message", "{...}", "GET", streamPath),
            Obs.Rpc(stream, 1, """{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2024-11-05","capabilities":{"tools":{}},"serverInfo":{"name":"everything","version":"1.0.0"}}}""", "sse", "GET", streamPath),
            Obs.Request(post2, 2, "POST", postTarget, null, ("content-type", "application/json")),
            Obs.Rpc(post2, 2, """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", "http.request", "POST", messagePath),
        ];
    }

    /// <summary>2025-03-26 Streamable HTTP answering POSTs with plain JSON and a session (no version header yet).</summary>
    public static List<Observation> StreamableJson2025()
    {
        var f1 = Obs.Flow("10.0.0.7", 53000, "10.0.0.10", 9000);
        return
        [
            Obs.Request(f1, 0, "POST", "/rpc", "10.0.0.10", ("accept", AcceptPair)),
            Obs.Rpc(f1, 0, """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"cursor","version":"1.2"}}}""", "http.request", "POST", "/rpc"),
            Obs.Response(f1, 0, 200, "application/json", "POST", "/rpc", ("mcp-session-id", "s-1")),
            Obs.Rpc(f1, 0, """{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-03-26","capabilities":{},"serverInfo":{"name":"py-server","version":"0.3"}}}""", "http.response", "POST", "/rpc"),
        ];
    }

    /// <summary>A client resolves mcp.notion.com and opens TLS to the answer.</summary>
    public static List<Observation> NotionDnsTls()
    {
        var dns = Obs.Flow("10.0.0.7", 53535, "10.0.0.1", 53, "udp");
        var tls = Obs.Flow("10.0.0.7", 54000, "208.103.161.1", 443);
        return
        [
            Obs.Dns(dns, 0, "mcp.notion.com", response: false),
            Obs.Dns(dns, 0, "mcp.notion.com", response: true, "208.103.161.1"),
            Obs.Tls(tls, 1, "mcp.notion.com"),
        ];
    }
}
