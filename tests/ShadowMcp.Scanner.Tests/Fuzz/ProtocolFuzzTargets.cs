using System.Text;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Http2;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Tests.Fuzz;

/// <summary>
/// Targets for the later protocol paths: HTTP/2 framing and HPACK, and compressed HTTP/1.1 bodies. Like
/// <see cref="FuzzTargets"/>, each takes arbitrary bytes and must return without throwing.
/// </summary>
internal static class ProtocolFuzzTargets
{
    private static readonly FlowEndpoints Endpoints = new("10.0.0.1", 40000, "10.0.0.2", 443, "tcp");

    /// <summary>The input as the frames after a client preface, then as the server's frames.</summary>
    public static void Http2(byte[] bytes)
    {
        var factory = new DefaultAnalyzerFactory(new ObservationList(), "fuzz");
        byte[] preface = [.. Http2FrameType.Preface, .. bytes];
        var analyzer = factory.CreateTcp(Endpoints, true, preface);
        if (analyzer is null) throw new InvalidOperationException("preface not recognised as HTTP/2");
        int cut = bytes.Length == 0 ? 0 : bytes[0] % (bytes.Length + 1);
        analyzer.OnData(true, preface.AsSpan(0, Http2FrameType.Preface.Length + cut), DateTime.UnixEpoch);
        analyzer.OnData(true, bytes.AsSpan(cut), DateTime.UnixEpoch);
        analyzer.OnData(false, bytes, DateTime.UnixEpoch);
        analyzer.OnClose(DateTime.UnixEpoch);
    }

    /// <summary>One header block, decoded twice so the dynamic table the first pass built is used.</summary>
    public static void Hpack(byte[] bytes)
    {
        var decoder = new HpackDecoder(maxTableSize: 4096, maxHeaderListSize: 64 * 1024);
        var sink = new CountingSink();
        decoder.Decode(bytes, sink);
        decoder.Decode(bytes, sink);
    }

    /// <summary>An MCP response whose body is the input under the coding its last byte picks (a trailing byte
    /// after a compressed stream is ignored by the decoders, so seeds stay valid).</summary>
    public static void Decompress(byte[] bytes)
    {
        string[] codings = ["gzip", "deflate", "br", "gzip, br", "identity"];
        string coding = codings[bytes.Length == 0 ? 0 : bytes[^1] % codings.Length];
        var factory = new DefaultAnalyzerFactory(new ObservationList(), "fuzz");
        var endpoints = new FlowEndpoints("10.0.0.1", 40000, "10.0.0.2", 3000, "tcp");
        var request = "POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"u8;
        var analyzer = factory.CreateTcp(endpoints, true, request)!;
        analyzer.OnData(true, request, DateTime.UnixEpoch);
        var head = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: {coding}\r\n"
            + $"Content-Length: {bytes.Length}\r\n\r\n";
        analyzer.OnData(false, Encoding.ASCII.GetBytes(head), DateTime.UnixEpoch);
        analyzer.OnData(false, bytes, DateTime.UnixEpoch);
        analyzer.OnClose(DateTime.UnixEpoch);
    }

    private sealed class CountingSink : IHpackHeaderSink
    {
        private int _fields;

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => _fields++;
    }
}
