using System.Text;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Http2;
using ShadowMcp.Scanner.Sessions;
using ShadowMcp.Scanner.Tests.Http2;

namespace ShadowMcp.Scanner.Tests.Exhaustion;

/// <summary>
/// HTTP/2 traffic crafted to cost the sensor far more per byte than a real connection. Each test names the attack,
/// measures it by allocation counters (<see cref="AttackCost"/>) and asserts the bound the fix guarantees.
/// </summary>
public class Http2ExhaustionTests
{
    private sealed class NullSink : IHpackHeaderSink
    {
        public int Fields { get; private set; }

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => Fields++;
    }

    /// <summary>Literals with incremental indexing, one-byte name and value: five bytes add (and evict) a table entry.</summary>
    private static byte[] ChurnBlock(int entries)
    {
        var block = new List<byte>();
        for (int i = 0; i < entries; i++) block.AddRange([0x40, 1, (byte)'a', 1, (byte)('a' + i % 26)]);
        return [.. block];
    }

    [Test]
    public void HpackDecoder_TableChurn_AllocatesNothingPerEntry()
    {
        // Before: every entry added copied its name and value into two new arrays, 64 B per 5-byte field (12.8 B per
        // byte; 14.8 B per byte for the whole connection), for a header list that is dropped as too large.
        var decoder = new HpackDecoder(64 * 1024, 64 * 1024);
        var sink = new NullSink();
        var block = ChurnBlock(4000);
        decoder.Decode([0x3f, 0xe1, 0xff, 0x03], sink); // table size update to 65,536: the most any peer may ask
        decoder.Decode(block, sink); // the table's buffer and ring reach their size

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++) decoder.Decode(block, sink);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(decoder.Table.Count, Is.GreaterThan(1000), "the table is full of one-byte entries");
        Assert.That(allocated, Is.LessThan(64 * 1024), $"{allocated:N0} B for {50 * 4000:N0} entries added");
        Assert.That(decoder.HeldBytes, Is.LessThanOrEqualTo(3 * 64 * 1024 + 64 * 1024), "buffer at most about twice the table, ring and scratch");
    }

    [Test]
    public void Connection_HpackTableChurn_CostsLittleMorePerByteThanAnMcpExchange()
    {
        var frames = new List<byte[]> { H2.Preface, H2.Settings() };
        var block = ChurnBlock(4000);
        for (int s = 0; s < 200; s++) frames.Add(H2.Headers(1 + 2 * s, block, endStream: true));

        var cost = AttackCost.Connection(H2.Concat([.. frames]), [], serverPort: 8080);

        TestContext.Out.WriteLine(cost);
        Assert.That(cost.Counters.Http2HpackBombs, Is.EqualTo(200), "each list is over the limit and counted");
        Assert.That(cost.PerByte, Is.LessThan(0.1), "before: 14.8 B/byte (table entries, then a new buffer per frame over 16 KiB)");
    }

    /// <summary>
    /// A 4,000-byte field put in the HPACK table once, then named by one byte (0xbe, the newest entry) fifteen times in
    /// each of 20,000 requests: 41 bytes per request.
    /// </summary>
    private static byte[] IndexedAmplification(string name, int references, int requests) =>
        IndexedAmplification(name, new string('u', 4000), references, requests);

    private static byte[] IndexedAmplification(string name, string value, int references, int requests)
    {
        var frames = new List<byte[]>
        {
            H2.Preface, H2.Settings(),
            H2.Headers(1, [0x82, 0x84, 0x86, .. H2.Indexed(name, value), .. H2.Block((":authority", "h"))], endStream: true),
        };
        for (int s = 1; s < requests; s++)
            frames.Add(H2.Headers(1 + 2 * s, [0x82, 0x84, 0x86, .. H2.Block((":authority", "h")), .. Enumerable.Repeat((byte)0xbe, references)],
                endStream: true));
        return H2.Concat([.. frames]);
    }

    [TestCase("user-agent")]
    [TestCase("mcp-session-id")]
    [TestCase(":path")]
    [TestCase(":authority")]
    public void Connection_OneByteNamingAKilobyteTableEntry_MakesItsStringOncePerEntry(string name)
    {
        // Before: 2,944 B allocated per byte received (3,132 for :authority, normalised per request too): 824 KB of
        // traffic cost 2.4 GB of strings. Now about 2 B/byte (the request's query and path text).
        var cost = AttackCost.Connection(IndexedAmplification(name, 15, 20_000), [], serverPort: 8080);

        TestContext.Out.WriteLine(cost);
        Assert.That(cost.Observations, Is.EqualTo(20_000), "every request is still observed");
        Assert.That(cost.PerByte, Is.LessThan(2));
    }

    /// <summary>
    /// Selected headers the head also interprets at each reference: the memoised text is not re-made, so neither may
    /// what is read from it (a content coding list split into strings, a host or media type copied out of it).
    /// </summary>
    [TestCase("content-encoding", 2000, ",a", "a")]
    [TestCase("host", 3990, "u", "h:1")]
    [TestCase("content-type", 3990, "u", "a;x=1")]
    public void Connection_OneByteNamingAKilobyteEntryTheHeadInterprets_CostsNoMoreThanItsText(string name, int repeat, string unit, string tail)
    {
        var value = string.Concat(Enumerable.Repeat(unit, repeat)) + tail;
        var cost = AttackCost.Connection(IndexedAmplification(name, value, 15, 20_000), [], serverPort: 8080);

        TestContext.Out.WriteLine(cost);
        Assert.That(cost.Observations, Is.EqualTo(20_000), "every request is still observed");
        Assert.That(cost.PerByte, Is.LessThan(2));
    }

    /// <summary>
    /// Minimal requests, each on a new stream (4-byte blocks: three static entries and the authority from the table),
    /// 100 to a segment, each segment answered by a segment of 1-byte <c>:status 200</c> blocks when
    /// <paramref name="answered"/>: 13 bytes of traffic per request, 10 per answer.
    /// </summary>
    private static List<(byte[] Client, byte[] Server)> StreamFlood(int segments, bool answered)
    {
        var turns = new List<(byte[] Client, byte[] Server)>
        {
            (H2.Concat(H2.Preface, H2.Settings(), H2.Headers(1, [0x82, 0x84, 0x86, .. H2.Indexed(":authority", "h")], endStream: true)),
                H2.Concat(H2.Settings(), answered ? H2.Headers(1, [0x88], endStream: true) : [])),
        };
        for (int t = 0; t < segments; t++)
        {
            var first = 3 + 200 * t;
            var requests = Enumerable.Range(0, 100).Select(i => H2.Headers(first + 2 * i, [0x82, 0x84, 0x86, 0xbe], endStream: true));
            var answers = Enumerable.Range(0, 100).Select(i => H2.Headers(first + 2 * i, [0x88], endStream: true));
            turns.Add((H2.Concat([.. requests]), answered ? H2.Concat([.. answers]) : []));
        }
        return turns;
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Connection_FloodOfMinimalStreams_CostsAboutWhatPipelinedHttp1RequestsCost(bool answered)
    {
        // Before: about 520 B per stream (the stream, its two message assemblers and their body buffers, the heads,
        // the request, the text of static entries such as ":method GET"): 40 B per byte received unanswered, 34
        // answered in bursts of 100 streams. Pipelined HTTP/1.1 requests reuse theirs; ended streams must too.
        var cost = AttackCost.Turns(StreamFlood(200, answered), serverPort: 8080);

        TestContext.Out.WriteLine(cost);
        Assert.That(cost.Observations, Is.EqualTo(answered ? 40_002 : 20_001), "every request and answer is still observed");
        Assert.That(cost.PerByte, Is.LessThan(0.5));
    }

    [Test]
    public void Connection_BlockOfThousandsOfIndexedFields_IsDroppedAsABomb()
    {
        // 2,000 one-byte references to a small user-agent entry: within the 64 KiB list size, far over the 100 header
        // lines an HTTP/1.x head may have. Before: 32.8 B per byte, the selected-header list of each head growing until the
        // list size limit stopped it.
        var frames = new List<byte[]>
        {
            H2.Preface, H2.Settings(),
            H2.Headers(1, [0x82, 0x84, 0x86, .. H2.Indexed("user-agent", "x"), .. H2.Block((":authority", "h"))], endStream: true),
        };
        for (int s = 1; s < 500; s++)
            frames.Add(H2.Headers(1 + 2 * s, [0x82, 0x84, 0x86, .. Enumerable.Repeat((byte)0xbe, 2000)], endStream: true));

        var cost = AttackCost.Connection(H2.Concat([.. frames]), [], serverPort: 8080);

        TestContext.Out.WriteLine(cost);
        Assert.That(cost.Counters.Http2HpackBombs, Is.EqualTo(499));
        Assert.That(cost.Observations, Is.EqualTo(1), "only the first request has a head");
        Assert.That(cost.PerByte, Is.LessThan(0.5), "the head given up at its 109th field");
    }

    private static readonly DateTime T0 = new(2025, 5, 1, 8, 0, 0, DateTimeKind.Utc);

    private static Http2Connection Connection()
    {
        var factory = new DefaultAnalyzerFactory(new ObservationList(), "held");
        var endpoints = new FlowEndpoints("10.0.0.1", 40000, "10.0.0.2", 8080, "tcp");
        return (Http2Connection)factory.CreateTcp(endpoints, fromInitiator: true, H2.Preface)!;
    }

    private static byte[] RequestHead(int stream) =>
        H2.Headers(stream, [0x83, 0x86, 0x84, .. H2.Block((":authority", "h"), ("content-type", "application/json"))]);

    [Test]
    public void HeldBytes_AfterEachPacketOf128IdleStreams_ReadsOnlyTheStreamsThePacketTouched()
    {
        // The flow table reads HeldBytes after every packet. Before, that read walked every open stream: 128 streams
        // opened and left idle made each later packet, even an empty ACK, cost 128 stream reads (1,280,000 here).
        var connection = Connection();
        connection.OnData(true, [.. H2.Preface, .. H2.Settings()], T0);
        for (int s = 0; s < 128; s++) connection.OnData(true, RequestHead(1 + 2 * s), T0);
        _ = connection.HeldBytes;
        long before = connection.StreamsRead;

        var ping = H2.Frame(6, 0, 0, new byte[8]);
        for (int i = 0; i < 10_000; i++)
        {
            connection.OnData(true, ping, T0);
            _ = connection.HeldBytes;
        }
        connection.OnData(true, H2.Data(1 + 2 * 7, "{\"jsonrpc\":"), T0);

        Assert.That(connection.HeldBytes, Is.EqualTo(connection.HeldBytesRecounted));
        Assert.That(connection.StreamsRead - before, Is.EqualTo(1), "only the stream the DATA frame touched");
    }

    [Test]
    public void HeldBytes_ThroughOpensBodiesEndsResetsAndReplacements_EqualsTheSumOverOpenStreams()
    {
        var connection = Connection();
        connection.OnData(true, [.. H2.Preface, .. H2.Settings()], T0);
        connection.OnData(false, H2.Settings(), T0);
        var random = new Random(7);
        var body = Encoding.ASCII.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"x\":\"" + new string('y', 3000));
        int next = 1;
        for (int step = 0; step < 3000; step++)
        {
            int open = Math.Max(1, next - 2 * random.Next(0, 40));
            (bool fromClient, byte[] frame) = random.Next(6) switch
            {
                0 or 1 => (true, RequestHead(next += 2)),
                2 => (true, H2.Data(open, body[..random.Next(1, body.Length)])),
                3 => (random.Next(2) == 0, H2.Data(open, [], endStream: true)),
                4 => (true, H2.Frame(3, 0, open, [0, 0, 0, 8])), // RST_STREAM
                _ => (false, H2.Headers(open, [0x88], endStream: random.Next(2) == 0)), // :status 200
            };
            connection.OnData(fromClient, frame, T0);
            if (random.Next(3) == 0) Assert.That(connection.HeldBytes, Is.EqualTo(connection.HeldBytesRecounted), $"step {step}");
        }
        Assert.That(connection.HeldBytes, Is.EqualTo(connection.HeldBytesRecounted));
        connection.OnClose(T0);
        Assert.That(connection.HeldBytes, Is.EqualTo(connection.HeldBytesRecounted));
    }
}
