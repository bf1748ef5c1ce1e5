using System.Text;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Observations.JsonRpc;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Dns;
using ShadowMcp.Scanner.Sessions;
using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Tests.Fuzz;

/// <summary>
/// One entry point per parser fed by the network. Each takes arbitrary bytes and must return without throwing;
/// the analyzer guard is bypassed or checked, so a fault the guard would hide still fails here. The same targets
/// are driven by the seed/crash replay and by the bounded mutation run (and can be handed to SharpFuzz/afl++).
/// </summary>
internal static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["capture"] = Capture,
        ["decode"] = Decode,
        ["http"] = bytes => TcpStream(bytes, serverPort: 80),
        ["sse"] = Sse,
        ["jsonrpc"] = JsonRpc,
        ["dns"] = Dns,
        ["tls"] = Tls,
        ["serverhello"] = ServerHello,
        ["h2"] = ProtocolFuzzTargets.Http2,
        ["hpack"] = ProtocolFuzzTargets.Hpack,
        ["decompress"] = ProtocolFuzzTargets.Decompress,
    };

    private static readonly int[] LinkTypesToTry =
        [LinkTypes.Ethernet, LinkTypes.Raw, LinkTypes.Null, LinkTypes.LinuxSll, LinkTypes.LinuxSll2, LinkTypes.Loop, 228, 229];

    /// <summary>A pcap or pcapng file: readers, decode, reassembly and every analyzer behind them.</summary>
    private static void Capture(byte[] bytes)
    {
        var stats = new ScanStats();
        new CaptureFileScanner().Scan(new MemoryStream(bytes), "fuzz.pcap", new DefaultAnalyzerFactory(new ObservationList(), "fuzz"), stats);
        if (stats.AnalyzerFaults > 0) throw new InvalidOperationException($"analyzer fault: {stats.Anomalies[0]}");
    }

    /// <summary>One frame under every link type: link, IPv4/IPv6 and TCP/UDP headers.</summary>
    private static void Decode(byte[] bytes)
    {
        foreach (int linkType in LinkTypesToTry) PacketDecoder.Decode(bytes, linkType, out _);
    }

    /// <summary>Bytes as both directions of a TCP connection, cut at a point the input chooses; the analyzer is
    /// whichever the factory picks for them (HTTP/1.x head and chunked bodies, TLS, DNS over TCP).</summary>
    private static void TcpStream(byte[] bytes, int serverPort)
    {
        var factory = new DefaultAnalyzerFactory(new ObservationList(), "fuzz");
        var endpoints = new FlowEndpoints("10.0.0.1", 40000, "10.0.0.2", serverPort, "tcp");
        int cut = bytes.Length == 0 ? 0 : bytes[0] % (bytes.Length + 1);
        var analyzer = factory.CreateTcp(endpoints, fromInitiator: true, bytes);
        if (analyzer is null) return;
        var time = DateTime.UnixEpoch;
        analyzer.OnData(true, bytes.AsSpan(0, cut), time);
        analyzer.OnGap(true, 3, time);
        analyzer.OnData(true, bytes.AsSpan(cut), time);
        analyzer.OnData(false, bytes, time);
        analyzer.OnClose(time);
    }

    /// <summary>A server answering with an event stream whose events are the input.</summary>
    private static void Sse(byte[] bytes)
    {
        var factory = new DefaultAnalyzerFactory(new ObservationList(), "fuzz");
        var endpoints = new FlowEndpoints("10.0.0.1", 40000, "10.0.0.2", 3000, "tcp");
        var request = "POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"u8;
        var analyzer = factory.CreateTcp(endpoints, true, request)!;
        var time = DateTime.UnixEpoch;
        analyzer.OnData(true, request, time);
        analyzer.OnData(false, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"u8, time);
        analyzer.OnData(false, bytes, time);
        analyzer.OnClose(time);
    }

    private static void JsonRpc(byte[] bytes)
    {
        JsonRpcFields.Extract(bytes, JsonRpcLimits.Default, []);
        JsonRpcFields.TryReadOne(bytes, JsonRpcLimits.Default, out _, out _);
    }

    private static void Dns(byte[] bytes)
    {
        DnsMessageParser.Parse(bytes, out _);
        TcpStream(bytes, serverPort: 53);
    }

    private static void Tls(byte[] bytes)
    {
        ClientHelloParser.Parse(bytes);
        var factory = new DefaultAnalyzerFactory(new ObservationList(), "fuzz");
        var endpoints = new FlowEndpoints("10.0.0.1", 40000, "10.0.0.2", 443, "tcp");
        byte[] record = [0x16, 0x03, 0x01, .. bytes];
        var analyzer = factory.CreateTcp(endpoints, true, record);
        analyzer?.OnData(true, record, DateTime.UnixEpoch);
        analyzer?.OnClose(DateTime.UnixEpoch);
    }

    /// <summary>A server's first flight: ServerHello parser, then the analyzer reading it as the server side.</summary>
    private static void ServerHello(byte[] bytes)
    {
        ServerHelloParser.Parse(bytes);
        var factory = new DefaultAnalyzerFactory(new ObservationList(), "fuzz");
        var endpoints = new FlowEndpoints("10.0.0.1", 40000, "10.0.0.2", 443, "tcp");
        byte[] hello = [0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00];
        var analyzer = factory.CreateTcp(endpoints, true, hello);
        if (analyzer is null) return;
        analyzer.OnData(true, hello, DateTime.UnixEpoch);
        analyzer.OnData(false, bytes, DateTime.UnixEpoch);
        analyzer.OnClose(DateTime.UnixEpoch);
    }

    /// <summary>Text seeds are kept readable in the corpus; this is how a test adds one.</summary>
    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);
}
