using System.Text;
using System.Text.Json;

namespace ShadowMcp.Cli.Tests.Injection;

/// <summary>
/// A classic pcap of one plaintext MCP session (initialize POST and its JSON result) in which the attacker's side
/// chooses the strings: the Host header, the request path, clientInfo and serverInfo names and versions, and a tool
/// name. JSON strings are written by a real serializer, so a control character travels as its \u escape, as a
/// hostile server would send it.
/// </summary>
internal static class HostileSessionCapture
{
    public const string Client = "10.0.0.7";
    public const string Server = "10.0.0.9";
    public const ushort Port = 8080;

    public sealed record Strings(string Host = "mcp.rogue.test", string Path = "/mcp", string ClientName = "claude-code",
        string ServerName = "notes-server", string ServerVersion = "0.3");

    public static void Write(string path, Strings s)
    {
        var initialize = JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0", id = 0, method = "initialize",
            @params = new { protocolVersion = "2025-06-18", capabilities = new { }, clientInfo = new { name = s.ClientName, version = "2.1" } },
        });
        var result = JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0", id = 0,
            result = new { protocolVersion = "2025-06-18", capabilities = new { tools = new { } }, serverInfo = new { name = s.ServerName, version = s.ServerVersion } },
        });
        var body = Encoding.UTF8.GetBytes(initialize);
        var request = Concat(Encoding.UTF8.GetBytes(
            $"POST {s.Path} HTTP/1.1\r\nHost: {s.Host}\r\nAccept: application/json, text/event-stream\r\nContent-Type: application/json\r\n"
            + $"Content-Length: {body.Length}\r\n\r\n"), body);
        var resultBytes = Encoding.UTF8.GetBytes(result);
        var response = Concat(Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nMcp-Session-Id: 9f1c\r\nContent-Length: {resultBytes.Length}\r\n\r\n"), resultBytes);

        using var output = File.Create(path);
        ClassicPcap.Header(output);
        var time = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        ClassicPcap.TcpExchange(output, ref time, Client, 40_000, Server, Port, request, response);
    }

    private static byte[] Concat(byte[] a, byte[] b) => [.. a, .. b];
}
