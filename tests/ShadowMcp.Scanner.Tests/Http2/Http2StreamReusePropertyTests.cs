using System.IO.Compression;
using System.Text;
using ShadowMcp.Scanner.Http2;
using ShadowMcp.Scanner.Tests.Analysis;

namespace ShadowMcp.Scanner.Tests.Http2;

/// <summary>
/// Ended HTTP/2 streams, their assemblers, heads and requests are refilled for later streams. Oracle: every stream's
/// observations on a connection that has carried many earlier streams (ended, reset mid-body, tunnels, interim
/// answers, cut event streams and compressed bodies, interleaved) equal the same stream's observations alone on a
/// fresh connection. Header blocks are literals without indexing, so HPACK state cannot make them differ.
/// </summary>
public class Http2StreamReusePropertyTests
{
    private const int Kinds = 10;

    private static byte[] Rst(int id) => H2.Frame(0x3, 0, id, [0, 0, 0, 8]);

    private static string Init(int k) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + k + ",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"c" + k + "\",\"version\":\"1\"}}}";

    private static string Result(int k) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + k + ",\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"s" + k + "\",\"version\":\"2\"}}}";

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }

    private static byte[] Post(int k, params (string, string)[] extra) => H2.Block(
        [(":method", "POST"), (":scheme", "http"), (":authority", $"h{k}.example"), (":path", $"/mcp/{k}"),
         ("content-type", "application/json"), .. extra]);

    /// <summary>One stream's frames, client (true) or server (false), in order; each script ends its stream.</summary>
    private static List<(bool FromClient, byte[] Frame)> Script(int kind, int id, int k)
    {
        var f = new List<(bool, byte[])>();
        void C(byte[] frame) => f.Add((true, frame));
        void S(byte[] frame) => f.Add((false, frame));
        switch (kind)
        {
            case 0: // plain JSON exchange with a session id
                C(H2.Headers(id, Post(k, ("mcp-protocol-version", "2025-06-18"))));
                C(H2.Data(id, Init(k), endStream: true));
                S(H2.Headers(id, H2.Block((":status", "200"), ("content-type", "application/json"), ("mcp-session-id", $"s{k}"))));
                S(H2.Data(id, Result(k), endStream: true));
                break;
            case 1: // event stream cut in the middle of an event, then reset
                C(H2.Headers(id, Post(k, ("accept", "text/event-stream"))));
                C(H2.Data(id, Init(k), endStream: true));
                S(H2.Headers(id, H2.Block((":status", "200"), ("content-type", "text/event-stream"))));
                S(H2.Data(id, "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":9" + k + ",\"result\":{\"x\""));
                S(Rst(id));
                break;
            case 2: // gzip response cut, then reset
            {
                var gz = Gzip(Result(k) + new string(' ', 300));
                C(H2.Headers(id, Post(k)));
                C(H2.Data(id, Init(k), endStream: true));
                S(H2.Headers(id, H2.Block((":status", "200"), ("content-type", "application/json"), ("content-encoding", "gzip"))));
                S(H2.Data(id, gz[..(gz.Length / 2)]));
                S(Rst(id));
                break;
            }
            case 3: // interim answer, then the final one
                C(H2.Headers(id, Post(k, ("expect", "100-continue"))));
                S(H2.Headers(id, H2.Block((":status", "100"))));
                C(H2.Data(id, Init(k), endStream: true));
                S(H2.Headers(id, H2.Block((":status", "200"), ("content-type", "application/json"))));
                S(H2.Data(id, Result(k), endStream: true));
                break;
            case 4: // CONNECT tunnel, bytes, then reset
                C(H2.Headers(id, H2.Block((":method", "CONNECT"), (":authority", $"t{k}.example:443"))));
                S(H2.Headers(id, H2.Block((":status", "200"))));
                C(H2.Data(id, Init(k)));
                S(H2.Data(id, Result(k)));
                C(Rst(id));
                break;
            case 5: // request body cut by a reset from the client
                C(H2.Headers(id, Post(k, ("mcp-session-id", $"c{k}"))));
                C(H2.Data(id, Init(k)[..20]));
                C(Rst(id));
                break;
            case 6: // GET with trailers, answered 404 without a body
                C(H2.Headers(id, H2.Block((":method", "GET"), (":scheme", "https"), (":authority", $"g{k}"), (":path", $"/get/{k}"))));
                C(H2.Headers(id, H2.Block(("x-trailer", "t")), endStream: true));
                S(H2.Headers(id, H2.Block((":status", "404"), ("content-type", "text/plain")), endStream: true));
                break;
            case 7: // complete event stream with one event
                C(H2.Headers(id, Post(k)));
                C(H2.Data(id, Init(k), endStream: true));
                S(H2.Headers(id, H2.Block((":status", "200"), ("content-type", "text/event-stream"), ("mcp-session-id", $"e{k}"))));
                S(H2.Data(id, "event: message\ndata: " + Result(k) + "\n\n"));
                S(H2.Data(id, "", endStream: true));
                break;
            case 9: // left open: a request whose body never ends (given up at the stream limit, or cut at close)
                C(H2.Concat(H2.Headers(id, Post(k, ("mcp-session-id", $"o{k}"))), H2.Data(id, Init(k)[..25])));
                break;
            default: // answer before the request body ended, then the body ends
                C(H2.Headers(id, Post(k)));
                C(H2.Data(id, Init(k)[..30]));
                S(H2.Headers(id, H2.Block((":status", "200"), ("content-type", "application/json")), endStream: false));
                S(H2.Data(id, Result(k), endStream: true));
                C(H2.Data(id, Init(k)[30..], endStream: true));
                break;
        }
        return f;
    }

    private static List<string> Alone(int kind, int id, int k)
    {
        var segments = new List<Segment> { H2.Client(H2.Preface, H2.Settings()), H2.Server(H2.Settings()) };
        segments.AddRange(Script(kind, id, k).Select(x => x.FromClient ? H2.Client(x.Frame) : H2.Server(x.Frame)));
        return StreamHarness.Render(new StreamHarness().Run(segments).Observations);
    }

    [Test]
    public void OnData_RandomStreamSchedules_EachStreamObservedAsOnAFreshConnection([Range(0, 39)] int seed)
    {
        var random = new Random(seed);
        int streams = seed % 4 == 3 ? random.Next(150, 400) : random.Next(5, 60);
        int window = random.Next(1, 5); // streams open at once
        var scripts = new List<Queue<(bool, byte[])>>();
        var expected = new List<string>();
        for (int i = 0; i < streams; i++)
        {
            int kind = random.Next(Kinds), id = 1 + 2 * i, k = 1000 + i;
            scripts.Add(new Queue<(bool, byte[])>(Script(kind, id, k)));
            expected.AddRange(Alone(kind, id, k));
        }

        var segments = new List<Segment> { H2.Client(H2.Preface, H2.Settings()), H2.Server(H2.Settings()) };
        int next = 0;
        var open = new List<Queue<(bool, byte[])>>();
        var begun = new HashSet<Queue<(bool, byte[])>>();
        while (next < scripts.Count || open.Count > 0)
        {
            while (open.Count < window && next < scripts.Count) open.Add(scripts[next++]);
            var q = open[random.Next(open.Count)];
            // Streams begin in the order of their ids (client ids only grow).
            if (!begun.Contains(q)) q = open.First(o => !begun.Contains(o));
            begun.Add(q);
            var (fromClient, frame) = q.Dequeue();
            // Several frames of one side in one packet at times, so a stream ends and another is refilled in one call.
            if (segments[^1].FromInitiator == fromClient && random.Next(2) == 0)
                segments[^1] = new Segment(fromClient, [.. segments[^1].Data, .. frame]);
            else segments.Add(fromClient ? H2.Client(frame) : H2.Server(frame));
            if (q.Count == 0) open.Remove(q);
        }

        var harness = new StreamHarness();
        // Odd seeds cut packets at random points, so frames and header blocks straddle calls.
        var pieces = seed % 2 == 0 ? segments : segments.SelectMany(x =>
        {
            int at = random.Next(x.Data.Length + 1);
            return new[] { x with { Data = x.Data[..at] }, x with { Data = x.Data[at..] } };
        }).Where(x => x.Data.Length > 0).ToList();
        foreach (var segment in pieces)
        {
            harness.Feed(segment);
            // Refilled streams carry no stale counts: the running sum is what a recount over the open streams gives.
            var connection = (Http2Connection)harness.Analyzer!;
            Assert.That(connection.HeldBytes, Is.EqualTo(connection.HeldBytesRecounted));
        }
        harness.Analyzer!.OnClose(StreamHarness.T0.AddSeconds(1));
        var pooled = StreamHarness.Render(harness.Observations);

        Assert.That(pooled.Order(StringComparer.Ordinal), Is.EqualTo(expected.Order(StringComparer.Ordinal)));
    }
}
