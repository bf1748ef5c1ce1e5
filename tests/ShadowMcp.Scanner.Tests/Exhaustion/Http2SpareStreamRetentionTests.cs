using System.IO.Compression;
using System.Text;
using ShadowMcp.Scanner.Sessions;
using ShadowMcp.Scanner.Tests.Analysis;
using ShadowMcp.Scanner.Tests.Http2;

namespace ShadowMcp.Scanner.Tests.Exhaustion;

/// <summary>
/// Ended HTTP/2 streams are kept, with their message assemblers, for later streams. What a kept stream holds must be
/// what the connection's <see cref="IHoldsBytes.HeldBytes"/> says: the flow memory budget is built on it.
/// </summary>
public class Http2SpareStreamRetentionTests
{
    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }

    /// <summary>128 streams open at once, each side sending a gzip body, then all ended.</summary>
    private static List<Segment> CompressedStreams()
    {
        var body = Gzip("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
        var client = new List<byte[]> { H2.Preface, H2.Settings() };
        var server = new List<byte[]> { H2.Settings() };
        var clientEnds = new List<byte[]>();
        var serverEnds = new List<byte[]>();
        for (int i = 0; i < 128; i++)
        {
            int id = 1 + 2 * i;
            client.Add(H2.Headers(id, H2.Block((":method", "POST"), (":scheme", "http"), (":authority", "h"), (":path", "/mcp"),
                ("content-type", "application/json"), ("content-encoding", "gzip"))));
            client.Add(H2.Data(id, body[..10]));
            server.Add(H2.Headers(id, H2.Block((":status", "200"), ("content-type", "application/json"), ("content-encoding", "gzip"))));
            server.Add(H2.Data(id, body[..10]));
            clientEnds.Add(H2.Data(id, body[10..], endStream: true));
            serverEnds.Add(H2.Data(id, body[10..], endStream: true));
        }
        return [H2.Client([.. client]), H2.Server([.. server]), H2.Client([.. clientEnds]), H2.Server([.. serverEnds])];
    }

    [Test]
    public void HeldBytes_StreamsEndedAfterCompressedBodies_CountWhatTheKeptStreamsRetain() =>
        AssertRetainedIsAccounted(_ => CompressedStreams());

    /// <summary>128 streams open at once with long selected header values (unique per stream), then all ended.</summary>
    private static List<Segment> LongHeaderStreams(int connection)
    {
        var client = new List<byte[]> { H2.Preface, H2.Settings() };
        var server = new List<byte[]> { H2.Settings() };
        for (int i = 0; i < 128; i++)
        {
            int id = 1 + 2 * i;
            string unique = $"{connection}-{i}-";
            client.Add(H2.Headers(id, H2.Block((":method", "GET"), (":scheme", "http"), (":authority", "h"), (":path", "/mcp"),
                ("user-agent", unique + new string('u', 12_000))), endStream: true));
            server.Add(H2.Headers(id, H2.Block((":status", "404"), ("server", unique + new string('s', 12_000))), endStream: true));
        }
        return [H2.Client([.. client]), H2.Server([.. server])];
    }

    [Test]
    public void HeldBytes_StreamsEndedAfterLongHeaders_CountWhatTheKeptHeadsRetain() =>
        AssertRetainedIsAccounted(LongHeaderStreams);

    /// <summary>
    /// Runs four connections' traffic (made by <paramref name="traffic"/> from the connection's number) without closing
    /// them, and asserts the memory they retain after a full collection is within what they account for.
    /// </summary>
    private static void AssertRetainedIsAccounted(Func<int, List<Segment>> traffic)
    {
        const int Connections = 4;
        var segments = Enumerable.Range(0, Connections).Select(traffic).ToList();
        var harnesses = Enumerable.Range(0, Connections).Select(_ => new StreamHarness()).ToList();
        // Warm-up on another connection: JIT, statics and shared pools are not charged to the connections measured.
        new StreamHarness().Run(traffic(-1), close: false);

        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int c = 0; c < Connections; c++)
        {
            harnesses[c].Run(segments[c], close: false);
            harnesses[c].Observations.Clear();
        }
        long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        long held = harnesses.Sum(h => ((IHoldsBytes)h.Analyzer!).HeldBytes);

        // Slack for the shared array pool (bounded per process, not per connection) and the connections' fixed parts.
        TestContext.Out.WriteLine($"retained {retained:N0} B, accounted {held:N0} B");
        Assert.That(retained, Is.LessThan(held + 2 * 1024 * 1024),
            $"retained {retained:N0} B, accounted {held:N0} B for {Connections} connections");
        GC.KeepAlive(harnesses);
        GC.KeepAlive(segments);
    }
}
