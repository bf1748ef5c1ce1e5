using System.Net;
using System.Text;

namespace ShadowMcp.Cli.Tests.Sanctioned;

/// <summary>
/// A classic pcap (Ethernet, IPv4) of one plaintext MCP session (initialize POST and its result) to a server whose
/// client sends a chosen name as Host header, optionally after a DNS answer to that client for the name. Checksums
/// are left zero (the decoder ignores them).
/// </summary>
internal static class FrontedSessionCapture
{
    public const string Client = "10.0.0.7";
    public const string Resolver = "10.0.0.1";
    public const ushort Port = 8080;
    /// <summary>The message id of the client's query for the host (and of the resolver's answer to it).</summary>
    public const ushort QueryId = 0x1234;

    private const string Initialize =
        """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"claude-code","version":"2.1"}}}""";
    private const string Result =
        """{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"notes-server","version":"0.3"}}}""";

    /// <param name="dnsAnswer">The address a DNS answer to the client gives for <paramref name="host"/>, or null for none in the capture.</param>
    /// <param name="forged">
    /// An answer for <paramref name="host"/> sent after it in the resolver's name (spoofed source address), with its own
    /// message id and address: the id of the query for a second answer to it, another for an answer nobody asked for.
    /// </param>
    /// <param name="forgedTo">Where the forged answer is sent: the client by default, or another host whose queries the capture does not show.</param>
    /// <param name="target">The request's target (path).</param>
    public static void Write(string path, string server, string host, string? dnsAnswer, (ushort Id, string Address)? forged = null,
        string? forgedTo = null, string target = "/mcp")
    {
        using var output = File.Create(path);
        ClassicPcap.Header(output);
        var time = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        if (dnsAnswer is not null)
        {
            ClassicPcap.Record(output, ref time, ClassicPcap.Udp(Client, 53_001, Resolver, 53, DnsMessage(QueryId, host, null)));
            ClassicPcap.Record(output, ref time, ClassicPcap.Udp(Resolver, 53, Client, 53_001, DnsMessage(QueryId, host, dnsAnswer)));
        }
        if (forged is { } f)
            ClassicPcap.Record(output, ref time, ClassicPcap.Udp(Resolver, 53, forgedTo ?? Client, 53_001, DnsMessage(f.Id, host, f.Address)));
        var request = Encoding.ASCII.GetBytes(
            $"POST {target} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json, text/event-stream\r\nContent-Type: application/json\r\n"
            + $"Content-Length: {Initialize.Length}\r\n\r\n{Initialize}");
        var response = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nMcp-Session-Id: 9f1c\r\nContent-Length: {Result.Length}\r\n\r\n{Result}");
        ClassicPcap.TcpExchange(output, ref time, Client, 40_000, server, Port, request, response);
    }

    // A query for an A record, or its answer (one A record, owner given by a pointer to the question).
    private static byte[] DnsMessage(ushort id, string name, string? answer)
    {
        var message = new List<byte>();
        void U16(int v) { message.Add((byte)(v >> 8)); message.Add((byte)v); }
        U16(id);
        U16(answer is null ? 0x0100 : 0x8180);
        U16(1);
        U16(answer is null ? 0 : 1);
        U16(0);
        U16(0);
        foreach (var label in name.Split('.'))
        {
            message.Add((byte)label.Length);
            message.AddRange(Encoding.ASCII.GetBytes(label));
        }
        message.Add(0);
        U16(1);
        U16(1);
        if (answer is not null)
        {
            U16(0xC00C);
            U16(1);
            U16(1);
            U16(0);
            U16(300);
            U16(4);
            message.AddRange(IPAddress.Parse(answer).GetAddressBytes());
        }
        return [.. message];
    }
}
