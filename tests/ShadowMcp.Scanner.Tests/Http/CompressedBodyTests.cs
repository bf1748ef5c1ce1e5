using System.IO.Compression;
using System.Text;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Tests.Analysis;

namespace ShadowMcp.Scanner.Tests.Http;

public class CompressedBodyTests
{
    private static readonly string Request =
        "POST /mcp HTTP/1.1\r\nHost: tools.example\r\nContent-Type: application/json\r\nAccept-Encoding: gzip, br\r\n" +
        $"Content-Length: {HttpSamples.InitializeBody.Length}\r\n\r\n{HttpSamples.InitializeBody}";

    [TestCase("gzip")]
    [TestCase("x-gzip")]
    [TestCase("deflate")]
    [TestCase("deflate-raw")]
    [TestCase("br")]
    public void OnData_CompressedJsonResponse_IsDecodedBeforeJsonRpc(string coding)
    {
        var body = Compress(coding, HttpSamples.InitializeResult);
        var header = coding == "deflate-raw" ? "deflate" : coding;
        var h = new StreamHarness().RunBytewise(
        [
            Segment.Client(Request),
            Segment.Server(Concat($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: {header}\r\n" +
                                  $"Content-Length: {body.Length}\r\n\r\n", body)),
        ]);

        var rpc = h.Single(ObservationKinds.JsonRpcResponse).Fields;
        Assert.Multiple(() =>
        {
            Assert.That(rpc.Get("result.serverInfo.name"), Is.EqualTo("weather-mcp"));
            Assert.That(rpc.Get("request.method"), Is.EqualTo("initialize"));
            Assert.That(h.Single(ObservationKinds.HttpResponse).Fields.Get("header.content-encoding"), Is.EqualTo(header));
            Assert.That(h.Single(ObservationKinds.HttpResponse).Fields.Get("body"), Is.EqualTo(HttpSamples.InitializeResult));
        });
    }

    [Test]
    public void OnData_GzipEventStreamInChunks_YieldsEachEventAsItArrives()
    {
        // One gzip stream flushed after each event, as a compressing server writes an event stream.
        var output = new MemoryStream();
        var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
        var chunks = new List<byte[]>();
        foreach (var text in new[] { "event: message\ndata: " + HttpSamples.InitializeResult + "\n\n", ": keep-alive\n\n" })
        {
            long before = output.Length;
            gzip.Write(Encoding.UTF8.GetBytes(text));
            gzip.Flush();
            chunks.Add(output.ToArray()[(int)before..]);
        }
        gzip.Dispose();
        var server = new List<byte>(Encoding.ASCII.GetBytes(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"));
        foreach (var chunk in chunks) server.AddRange(Chunk(chunk));
        server.AddRange(Encoding.ASCII.GetBytes("0\r\n\r\n"));

        var h = new StreamHarness().Run([Segment.Client(Request), Segment.Server(server.ToArray())], close: false);

        Assert.That(h.Single(ObservationKinds.SseEvent).Fields.Get("event"), Is.EqualTo("message"));
        Assert.That(h.Single(ObservationKinds.JsonRpcResponse).Fields.Get("result.serverInfo.name"), Is.EqualTo("weather-mcp"));
    }

    [Test]
    public void OnData_GzipBomb_IsCountedAndTheResponseStillReported()
    {
        // 20 MB of spaces after a JSON prefix compress to about 20 KB: a 1000:1 ratio.
        var bomb = Compress("gzip", HttpSamples.InitializeResult + new string(' ', 20_000_000));
        var h = new StreamHarness().Run(
        [
            Segment.Client(Request),
            Segment.Server(Concat($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n" +
                                  $"Content-Length: {bomb.Length}\r\n\r\n", bomb)),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(h.Factory.Counters.DecompressionBombs, Is.EqualTo(1));
            Assert.That(h.Single(ObservationKinds.HttpResponse).Fields.Get("status"), Is.EqualTo("200"));
            Assert.That(h.Single(ObservationKinds.JsonRpcResponse).Fields.Get("result.serverInfo.name"), Is.EqualTo("weather-mcp"));
        });
    }

    [Test]
    public void OnData_GzipEventStreamBomb_StopsAtTheAbsoluteCap()
    {
        var bomb = Compress("gzip", "data: " + new string('x', 3_000_000) + "\n\n");
        var options = new AnalyzerOptions { MaxDecodedBodyBytes = 1_000_000, MaxDecompressionRatio = 100_000 };
        var h = new StreamHarness(options: options).Run(
        [
            Segment.Client(Request),
            Segment.Server(Concat("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Encoding: gzip\r\n" +
                                  $"Content-Length: {bomb.Length}\r\n\r\n", bomb)),
        ]);

        Assert.That(h.Factory.Counters.DecompressionBombs, Is.EqualTo(1));
    }

    // Brotli reports corrupt input as InvalidOperationException, not InvalidDataException (found by afl++).
    [TestCase("gzip")]
    [TestCase("br")]
    public void OnData_CorruptBody_IsCountedNotThrown(string coding)
    {
        var body = Compress(coding, HttpSamples.InitializeResult);
        for (int i = 1; i < 8; i++) body[i] ^= 0xFF;
        body[12] ^= 0xFF;
        body[13] ^= 0xFF;
        var h = new StreamHarness().Run(
        [
            Segment.Client(Request),
            Segment.Server(Concat($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: {coding}\r\n" +
                                  $"Content-Length: {body.Length}\r\n\r\n", body)),
            Segment.Client(Request),
            Segment.Server("HTTP/1.1 204 No Content\r\n\r\n"),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(h.Factory.Counters.CompressedBodiesCorrupt, Is.EqualTo(1));
            Assert.That(h.Observations.Count(o => o.Kind == ObservationKinds.HttpResponse), Is.EqualTo(2));
        });
    }

    [Test]
    public void AddTo_GzipBombAndCorruptBody_ReachTheScanStats()
    {
        var bomb = Compress("gzip", HttpSamples.InitializeResult + new string(' ', 20_000_000));
        var corrupt = Compress("gzip", HttpSamples.InitializeResult);
        corrupt[12] ^= 0xFF;
        corrupt[13] ^= 0xFF;
        var h = new StreamHarness().Run(
        [
            Segment.Client(Request),
            Segment.Server(Concat($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n" +
                                  $"Content-Length: {bomb.Length}\r\n\r\n", bomb)),
            Segment.Client(Request),
            Segment.Server(Concat($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n" +
                                  $"Content-Length: {corrupt.Length}\r\n\r\n", corrupt)),
        ]);
        var stats = new ScanStats();

        h.Factory.Counters.AddTo(stats);

        Assert.Multiple(() =>
        {
            Assert.That(stats.DecompressionBombs, Is.EqualTo(1));
            Assert.That(stats.CompressedBodiesCorrupt, Is.EqualTo(1));
        });
    }

    private static byte[] Compress(string coding, string text)
    {
        var output = new MemoryStream();
        using (Stream compressor = coding switch
        {
            "gzip" or "x-gzip" => new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true),
            "deflate" => new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true),
            "deflate-raw" => new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true),
            _ => new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true),
        })
        {
            compressor.Write(Encoding.UTF8.GetBytes(text));
        }
        return output.ToArray();
    }

    private static byte[] Chunk(byte[] data) =>
        Concat($"{data.Length:X}\r\n", data, Encoding.ASCII.GetBytes("\r\n"));

    private static byte[] Concat(string head, params byte[][] parts) =>
        Encoding.ASCII.GetBytes(head).Concat(parts.SelectMany(p => p)).ToArray();
}
