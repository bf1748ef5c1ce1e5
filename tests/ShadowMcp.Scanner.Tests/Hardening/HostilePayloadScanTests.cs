using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Sessions;
using ShadowMcp.Scanner.Tests.Capture.Writers;
using ShadowMcp.Scanner.Tests.Decode.Builders;

namespace ShadowMcp.Scanner.Tests.Hardening;

/// <summary>
/// Captures written by the test, carrying bodies that once crashed the scanner (a lone surrogate escape in a JSON
/// member name), on any port: the scan completes, the hostile flow is read as far as it is valid, and an MCP flow
/// after it in the same file is still seen.
/// </summary>
public class HostilePayloadScanTests
{
    private static readonly DateTime T0 = new(2025, 5, 1, 8, 0, 0, DateTimeKind.Utc);
    private const string McpRequest = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}}""";

    private static byte[] Request(string body) =>
        System.Text.Encoding.UTF8.GetBytes($"POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {System.Text.Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}");

    private static void AddExchange(PcapWriter writer, TcpConversation c, byte[] request, byte[] response, ref DateTime t)
    {
        writer.Add(t = t.AddMilliseconds(1), c.FromClient(100, "", TcpFlags.Syn))
            .Add(t = t.AddMilliseconds(1), c.FromServer(500, "", TcpFlags.Syn | TcpFlags.Ack, 101))
            .Add(t = t.AddMilliseconds(1), c.FromClient(101, request))
            .Add(t = t.AddMilliseconds(1), c.FromServer(501, response))
            .Add(t = t.AddMilliseconds(1), c.FromClient(101 + (uint)request.Length, "", TcpFlags.Fin | TcpFlags.Ack))
            .Add(t = t.AddMilliseconds(1), c.FromServer(501 + (uint)response.Length, "", TcpFlags.Fin | TcpFlags.Ack));
    }

    private static (ScanResult Result, ScanStats Stats, ObservationList Sink) ScanFile(byte[] pcap)
    {
        var path = Path.Combine(Path.GetTempPath(), $"shadowmcp-hostile-{Guid.NewGuid():N}.pcap");
        File.WriteAllBytes(path, pcap);
        try
        {
            var sink = new ObservationList();
            var stats = new ScanStats();
            var result = new CaptureFileScanner().Scan(path, new DefaultAnalyzerFactory(sink, "hostile.pcap"), stats);
            return (result, stats, sink);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("""{"\ud800":0}""", (ushort)80)]
    [TestCase("""{"\udc00":0}""", (ushort)4444)]
    [TestCase("""{"jsonrpc":"2.0","method":"tools/call","id":3,"params":{"\ud800\ud800":{"\udfff":1}}}""", (ushort)9)]
    [TestCase("""[{"\ud800":0},{"jsonrpc":"2.0","method":"ping","id":2}]""", (ushort)65535)]
    public void Scan_LoneSurrogateInRequestBody_CompletesAndFindsTheNextMcpFlow(string body, ushort port)
    {
        var writer = new PcapWriter(LinkTypes.Ethernet);
        var t = T0;
        var ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"u8.ToArray();
        AddExchange(writer, new TcpConversation(clientPort: 40001, serverPort: port), Request(body), ok, ref t);
        AddExchange(writer, new TcpConversation(clientPort: 40002, serverPort: 8080), Request(McpRequest), ok, ref t);

        var (result, stats, sink) = ScanFile(writer.ToArray());

        Assert.That(result.Status, Is.EqualTo(ScanStatus.Completed));
        Assert.That(stats.AnalyzerFaults, Is.Zero, () => string.Join("; ", stats.Anomalies));
        Assert.That(sink.Items.Any(o => o.Flow.ServerPort == 8080 && o.Fields.Get("method") == "initialize"), Is.True);
    }

    [TestCase("data: {\"\\udc00\":0}\n\n")]
    [TestCase("data: {\"\\ud800\":0}\n\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"serverInfo\":{\"name\":\"s\"}}}\n\n")]
    public void Scan_LoneSurrogateInSseEvent_CompletesAndKeepsLaterEvents(string events)
    {
        var writer = new PcapWriter(LinkTypes.Ethernet);
        var t = T0;
        var response = System.Text.Encoding.UTF8.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n" + events);
        AddExchange(writer, new TcpConversation(serverPort: 3000), Request(McpRequest), response, ref t);

        var (result, stats, sink) = ScanFile(writer.ToArray());

        Assert.That(result.Status, Is.EqualTo(ScanStatus.Completed));
        Assert.That(stats.AnalyzerFaults, Is.Zero, () => string.Join("; ", stats.Anomalies));
        Assert.That(sink.Items.Any(o => o.Fields.Get("method") == "initialize"), Is.True);
        if (events.Contains("serverInfo"))
            Assert.That(sink.Items.Any(o => o.Fields.Get("result.serverInfo.name") == "s"), Is.True);
    }
}
