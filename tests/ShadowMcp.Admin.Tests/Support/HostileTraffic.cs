using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Classifier;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Cli.Tests;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Admin.Tests.Support;

/// <summary>
/// A classic pcap of plaintext MCP sessions whose server side and client side choose every string: per payload one
/// server (its own address) whose serverInfo name and version, clientInfo name, tool name, Mcp-Session-Id header and
/// User-Agent carry the payload; one server reached with a hostile Host header and path; one with a very long name.
/// <see cref="ScanInto"/> runs the real pipeline (scanner, classifier, SQLite store) over it.
/// </summary>
internal static class HostileTraffic
{
    public const string Client = "10.0.7.2";
    public const ushort Port = 8080;

    /// <summary>The server carrying payload <paramref name="index"/> of <see cref="Payloads.All"/>.</summary>
    public static string ServerOf(int index) => $"10.0.7.{10 + index}";
    public const string CompactServer = "10.0.7.99";
    public const string LongServer = "10.0.7.98";
    public static string CompactKey => $"{CompactServer}:{Port}/mcp{Payloads.Compact}";

    public static void Write(string path)
    {
        using var output = File.Create(path);
        ClassicPcap.Header(output);
        var time = new DateTime(2026, 11, 18, 11, 0, 0, DateTimeKind.Utc);
        ushort clientPort = 41_000;
        for (var i = 0; i < Payloads.All.Length; i++)
        {
            var p = Payloads.All[i];
            Session(output, ref time, ref clientPort, ServerOf(i), $"mcp{i}.rogue.test", "/mcp", p, p, p, p);
        }
        Session(output, ref time, ref clientPort, CompactServer, Payloads.Compact, "/mcp" + Payloads.Compact, "compact-server", "1.0", "compact-client", "compact_tool");
        Session(output, ref time, ref clientPort, LongServer, "long.rogue.test", "/mcp", Payloads.Long, Payloads.Long, Payloads.Long, Payloads.Long);
    }

    /// <summary>Scans <paramref name="pcap"/> into the SQLite store at <paramref name="db"/>, as `shadowmcp scan` does.</summary>
    public static void ScanInto(string pcap, string db)
    {
        var rules = RulesLocator.Find() ?? throw new InvalidOperationException("rules/ not found above the test directory");
        using var store = FindingStore.Open(db);
        var report = new ScanRunner(McpClassifier.Create(rules), store, NullLogger.Instance).Run([pcap]);
        if (report.Errors.Count > 0) throw new InvalidOperationException("the hostile capture did not scan: " + report.Errors[0].Message);
    }

    // An initialize and a tools/list, each on its own connection, with the hostile strings in every field.
    private static void Session(Stream output, ref DateTime time, ref ushort clientPort, string server, string host, string path,
        string serverName, string serverVersion, string clientName, string tool)
    {
        // Header values carry the payload as far as HTTP allows: one line, no CR or LF.
        var sessionId = OneLine(serverName);
        var agent = OneLine(clientName);
        var initialize = Json(new
        {
            jsonrpc = "2.0", id = 0, method = "initialize",
            @params = new { protocolVersion = "2025-06-18", capabilities = new { }, clientInfo = new { name = clientName, version = "2.1" } },
        });
        var initialized = Json(new
        {
            jsonrpc = "2.0", id = 0,
            result = new { protocolVersion = "2025-06-18", capabilities = new { tools = new { } }, serverInfo = new { name = serverName, version = serverVersion } },
        });
        ClassicPcap.TcpExchange(output, ref time, Client, clientPort++, server, Port,
            Request(host, path, agent, null, initialize), Response(sessionId, initialized));

        var list = Json(new { jsonrpc = "2.0", id = 1, method = "tools/list", @params = new { } });
        var tools = Json(new
        {
            jsonrpc = "2.0", id = 1,
            result = new { tools = new[] { new { name = tool, description = tool, inputSchema = new { type = "object" } } } },
        });
        ClassicPcap.TcpExchange(output, ref time, Client, clientPort++, server, Port,
            Request(host, path, agent, sessionId, list), Response(sessionId, tools));
    }

    private static byte[] Request(string host, string path, string agent, string? session, byte[] body) =>
    [
        .. Encoding.UTF8.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {agent}\r\nAccept: application/json, text/event-stream\r\n"
            + $"Content-Type: application/json\r\n{(session is null ? "" : $"Mcp-Session-Id: {session}\r\n")}Content-Length: {body.Length}\r\n\r\n"),
        .. body,
    ];

    private static byte[] Response(string session, byte[] body) =>
    [
        .. Encoding.UTF8.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nMcp-Session-Id: {session}\r\nContent-Length: {body.Length}\r\n\r\n"),
        .. body,
    ];

    private static byte[] Json<T>(T value) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value));

    private static string OneLine(string value) => value.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
}
