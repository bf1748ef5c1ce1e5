using ShadowMcp.Scanner.Tests.Analysis;

namespace ShadowMcp.Scanner.Tests.Http;

/// <summary>Hand-written conversations shared by the HTTP, SSE and JSON-RPC tests.</summary>
internal static class HttpSamples
{
    public const string InitializeBody =
        """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{"roots":{"listChanged":true}},"clientInfo":{"name":"claude-code","version":"1.0.3"}}}""";

    public const string InitializeResult =
        """{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{"listChanged":true}},"serverInfo":{"name":"weather-mcp","version":"0.4.1"}}}""";

    /// <summary>A 2025-06-18 Streamable HTTP initialize answered with an event stream (chunked).</summary>
    public static Segment[] StreamableInitialize() =>
    [
        Segment.Client(
            "POST /mcp HTTP/1.1\r\n" +
            "Host: MCP.Internal.Example:8123\r\n" +
            "User-Agent: claude-code/1.0.3\r\n" +
            "Accept: application/json, text/event-stream\r\n" +
            "Content-Type: application/json\r\n" +
            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.secret\r\n" +
            "Cookie: session=topsecret\r\n" +
            "MCP-Protocol-Version: 2025-06-18\r\n" +
            $"Content-Length: {InitializeBody.Length}\r\n\r\n" + InitializeBody),
        Segment.Server(
            "HTTP/1.1 200 OK\r\n" +
            "Content-Type: text/event-stream; charset=utf-8\r\n" +
            "Mcp-Session-Id: 1868a90c-4b8f\r\n" +
            "Transfer-Encoding: chunked\r\n\r\n" +
            Chunk("event: message\r\ndata: " + InitializeResult[..40]) +
            Chunk(InitializeResult[40..] + "\r\n\r\n") +
            "0\r\n\r\n"),
    ];

    /// <summary>Two pipelined JSON requests in one segment, answered in order.</summary>
    public static Segment[] Pipelined()
    {
        const string list = """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""";
        const string call = """{"jsonrpc":"2.0","id":"c-2","method":"tools/call","params":{"name":"get_forecast","arguments":{"city":"Oslo"}}}""";
        const string listResult = """{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"get_forecast"},{"name":"get_alerts"}]}}""";
        const string callError = """{"jsonrpc":"2.0","id":"c-2","error":{"code":-32602,"message":"Unknown city"}}""";
        return
        [
            Segment.Client(
                $"POST /mcp HTTP/1.1\r\nHost: a.example\r\nContent-Type: application/json\r\nContent-Length: {list.Length}\r\n\r\n{list}" +
                $"POST /mcp/call?x=1 HTTP/1.1\r\nHost: a.example\r\nContent-Type: application/json\r\nContent-Length: {call.Length}\r\n\r\n{call}"),
            Segment.Server(
                $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {listResult.Length}\r\n\r\n{listResult}" +
                $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                Chunk(callError[..10]) + Chunk(callError[10..]) + "0\r\n\r\n"),
        ];
    }

    public static string Chunk(string data) => $"{System.Text.Encoding.UTF8.GetByteCount(data):x}\r\n{data}\r\n";
}
