using System.Text;

namespace ShadowMcp.Cli.Tests.Limits;

/// <summary>
/// A classic pcap (Ethernet, IPv4) of one MCP-looking server answering an initialize POST on a new path per
/// connection, as a flood aimed at the classifier's per-server path limit sends it. Checksums are left zero (the
/// decoder ignores them).
/// </summary>
internal static class PathFloodCapture
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}""";

    public static void Write(string path, string server, int paths)
    {
        using var output = File.Create(path);
        ClassicPcap.Header(output);
        var time = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < paths; i++)
        {
            var clientPort = (ushort)(20_000 + i);
            var request = Encoding.ASCII.GetBytes(
                $"POST /p{i} HTTP/1.1\r\nHost: {server}:8080\r\nContent-Type: application/json\r\nContent-Length: {Initialize.Length}\r\n\r\n{Initialize}");
            var response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
            const uint c = 1000, s = 5000;
            ClassicPcap.Record(output, ref time, ClassicPcap.Tcp("10.0.0.66", clientPort, server, 8080, c, 0, Syn, []));
            ClassicPcap.Record(output, ref time, ClassicPcap.Tcp(server, 8080, "10.0.0.66", clientPort, s, c + 1, Syn | Ack, []));
            ClassicPcap.Record(output, ref time, ClassicPcap.Tcp("10.0.0.66", clientPort, server, 8080, c + 1, s + 1, Ack, []));
            ClassicPcap.Record(output, ref time, ClassicPcap.Tcp("10.0.0.66", clientPort, server, 8080, c + 1, s + 1, Ack | Psh, request));
            ClassicPcap.Record(output, ref time, ClassicPcap.Tcp(server, 8080, "10.0.0.66", clientPort, s + 1, c + 1 + (uint)request.Length, Ack | Psh, response));
        }
    }

    private const byte Syn = 0x02, Psh = 0x08, Ack = 0x10;
}
