using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Http2;
using ShadowMcp.Scanner.Tests.Analysis;

namespace ShadowMcp.Scanner.Tests.Http2;

public class Http2ConnectionTests
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}""";

    private const string InitializeResult =
        """{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"weather","version":"2.1"}}}""";

    private static byte[] RequestBlock(string path = "/mcp") => H2.Block(
        (":method", "POST"), (":scheme", "http"), (":authority", "Tools.Example.com:8443"), (":path", path),
        ("content-type", "application/json"), ("accept", "application/json, text/event-stream"),
        ("mcp-protocol-version", "2025-06-18"), ("authorization", "Bearer secret-token"), ("cookie", "s=1"));

    private static byte[] SseResponseBlock() => H2.Block(
        (":status", "200"), ("content-type", "text/event-stream"), ("mcp-session-id", "abc"), ("server", "Kestrel"));

    private static Segment[] McpExchange() =>
    [
        H2.Client(H2.Preface, H2.Settings(), H2.Headers(1, RequestBlock()), H2.Data(1, Initialize, endStream: true)),
        H2.Server(H2.Settings(), H2.SettingsAck(), H2.Headers(1, SseResponseBlock()),
            H2.Data(1, "event: message\ndata: " + InitializeResult + "\n\n"), H2.Data(1, "", endStream: true)),
    ];

    [Test]
    public void OnData_PriorKnowledgeMcpExchange_EmitsWhatHttp1Emits()
    {
        var h = new StreamHarness().Run(McpExchange());

        Assert.That(h.Analyzer, Is.TypeOf<Http2Connection>());
        Assert.That(h.Kinds, Is.EqualTo(new[]
        {
            ObservationKinds.HttpRequest, ObservationKinds.JsonRpcRequest, ObservationKinds.HttpResponse,
            ObservationKinds.SseEvent, ObservationKinds.JsonRpcResponse,
        }));
        var request = h.Single(ObservationKinds.HttpRequest).Fields;
        var rpc = h.Single(ObservationKinds.JsonRpcResponse);
        Assert.Multiple(() =>
        {
            Assert.That(request.Get("method"), Is.EqualTo("POST"));
            Assert.That(request.Get("path"), Is.EqualTo("/mcp"));
            Assert.That(request.Get("version"), Is.EqualTo("HTTP/2"));
            Assert.That(request.Get("host"), Is.EqualTo("tools.example.com"));
            Assert.That(request.Get("header.host"), Is.EqualTo("Tools.Example.com:8443"));
            Assert.That(request.Get("header.mcp-protocol-version"), Is.EqualTo("2025-06-18"));
            Assert.That(request.Get("header.authorization"), Is.EqualTo("Bearer"));
            Assert.That(request.ToString(), Does.Not.Contain("secret"));
            Assert.That(request.Has("header.cookie"), Is.False);
            Assert.That(h.Single(ObservationKinds.JsonRpcRequest).Fields.Get("method"), Is.EqualTo("initialize"));
            Assert.That(h.Single(ObservationKinds.HttpResponse).Fields.Get("header.mcp-session-id"), Is.EqualTo("abc"));
            Assert.That(rpc.Fields.Get("request.method"), Is.EqualTo("initialize"));
            Assert.That(rpc.Fields.Get("carrier"), Is.EqualTo("sse"));
            Assert.That(rpc.Fields.Get("http.path"), Is.EqualTo("/mcp"));
            Assert.That(rpc.Flow, Is.EqualTo(new FlowRef("10.0.0.7", 51000, "10.0.0.5", 8123, "tcp")));
        });
    }

    [Test]
    public void OnData_OneBytePerCall_GivesTheSameObservations()
    {
        var whole = StreamHarness.Render(new StreamHarness().Run(McpExchange()).Observations);
        var bytewise = StreamHarness.Render(new StreamHarness().RunBytewise(McpExchange()).Observations);

        Assert.That(bytewise, Is.EqualTo(whole));
    }

    [Test]
    public void OnData_ContinuationPaddingAndInterleavedStreams_PairsEachResponseWithItsStream()
    {
        var block = RequestBlock("/first");
        var headersStart = H2.Frame(0x1, 0x0, 1, block[..10]);
        var continuation = H2.Frame(0x9, 0x4, 1, block[10..]);
        var h = new StreamHarness().Run(
        [
            H2.Client(H2.Preface, H2.Settings(), headersStart, continuation, H2.PaddedData(1, Initialize, 7, endStream: true),
                H2.Headers(3, RequestBlock("/second")), H2.Data(3, "{}", endStream: true)),
            H2.Server(H2.Headers(3, H2.Block((":status", "404"), ("content-type", "text/plain"))), H2.Data(3, "nope", true),
                H2.Headers(1, H2.Block((":status", "200"), ("content-type", "application/json"))),
                H2.Data(1, InitializeResult, endStream: true)),
        ]);

        var responses = h.Observations.Where(o => o.Kind == ObservationKinds.HttpResponse).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(h.Observations.First().Fields.Get("body"), Is.EqualTo(Initialize));
            Assert.That(responses.Select(r => (r.Fields.Get("status"), r.Fields.Get("request.path"))),
                Is.EqualTo(new[] { ("404", "/second"), ("200", "/first") }));
            Assert.That(h.Single(ObservationKinds.JsonRpcResponse).Fields.Get("request.method"), Is.EqualTo("initialize"));
        });
    }

    [Test]
    public void OnData_StreamsEndedAndOpenedAgainInRounds_PairEachAnswerWithItsOwnRequestAndHeaders()
    {
        // Ended streams, their heads and requests are refilled for later streams: nothing of an earlier stream may
        // show in a later one (its path, its method, a header the later message did not send).
        var segments = new List<Segment> { H2.Client(H2.Preface, H2.Settings()), H2.Server(H2.Settings()) };
        var expected = new List<(string Status, string Path, string? SessionId)>();
        for (int round = 0; round < 3; round++)
        {
            var ids = Enumerable.Range(0, 10).Select(i => 1 + 2 * (10 * round + i)).ToArray();
            segments.Add(H2.Client([.. ids.SelectMany(id => H2.Concat(
                H2.Headers(id, id % 3 == 0
                    ? H2.Block((":method", "GET"), (":scheme", "http"), (":authority", "h"), (":path", $"/get/{id}"))
                    : RequestBlock($"/mcp/{id}")),
                id % 3 == 0 ? [] : H2.Data(id, Initialize.Replace("\"id\":1", $"\"id\":{id}"), endStream: true)))]));
            var answers = new List<byte[]>();
            foreach (var id in ids.Reverse())
            {
                bool withSession = id % 4 == 1;
                var block = withSession
                    ? H2.Block((":status", "200"), ("content-type", "application/json"), ("mcp-session-id", $"s{id}"))
                    : H2.Block((":status", "404"), ("content-type", "text/plain"));
                answers.Add(H2.Headers(id, block, endStream: !withSession));
                if (withSession) answers.Add(H2.Data(id, InitializeResult.Replace("\"id\":1", $"\"id\":{id}"), endStream: true));
                expected.Add((withSession ? "200" : "404", id % 3 == 0 ? $"/get/{id}" : $"/mcp/{id}", withSession ? $"s{id}" : null));
            }
            segments.Add(H2.Server([.. answers]));
        }

        var h = new StreamHarness().Run([.. segments]);

        var responses = h.Observations.Where(o => o.Kind == ObservationKinds.HttpResponse)
            .Select(o => (o.Fields.Get("status"), o.Fields.Get("request.path"), o.Fields.Get("header.mcp-session-id"))).ToList();
        var rpc = h.Observations.Where(o => o.Kind == ObservationKinds.JsonRpcResponse)
            .Select(o => (o.Fields.Get("id"), o.Fields.Get("http.path"))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(responses, Is.EqualTo(expected));
            Assert.That(rpc, Is.EqualTo(expected.Where(e => e.SessionId is not null)
                .Select(e => (e.Path[(e.Path.LastIndexOf('/') + 1)..], e.Path))));
            Assert.That(h.Observations.Where(o => o.Kind == ObservationKinds.HttpRequest)
                .Select(o => (o.Fields.Get("method"), o.Fields.Get("header.mcp-protocol-version"))).Distinct(),
                Is.EquivalentTo(new (string?, string?)[] { ("GET", null), ("POST", "2025-06-18") }));
        });
    }

    [Test]
    public void OnData_DynamicTableAcrossStreams_DecodesTheIndexedField()
    {
        var first = H2.Concat(H2.Block((":method", "POST"), (":path", "/mcp")), H2.Indexed(":authority", "mcp.example.org"));
        var second = H2.Concat(H2.Block((":method", "POST"), (":path", "/mcp")), [0xBE]);
        var h = new StreamHarness().Run(
        [
            H2.Client(H2.Preface, H2.Headers(1, first, endStream: true), H2.Headers(3, second, endStream: true)),
        ]);

        var hosts = h.Observations.Where(o => o.Kind == ObservationKinds.HttpRequest).Select(o => o.Fields.Get("host"));
        Assert.That(hosts, Is.EqualTo(new[] { "mcp.example.org", "mcp.example.org" }));
    }

    [Test]
    public void AddTo_HpackBombAndFrames_ReachTheScanStats()
    {
        var bomb = new List<byte>(H2.Block((":method", "POST"), (":path", "/mcp")));
        bomb.AddRange(H2.Indexed("x-big", new string('a', 4000)));
        bomb.AddRange(Enumerable.Repeat((byte)0xBE, 100));
        var h = new StreamHarness().Run(
        [
            H2.Client(H2.Preface, H2.Settings(), H2.Headers(1, bomb.ToArray()), H2.Data(1, Initialize, endStream: true),
                H2.Headers(3, RequestBlock("/after"), endStream: true)),
            H2.Server(H2.Headers(1, H2.Block((":status", "200")), endStream: true)),
        ]);
        var stats = new ScanStats();

        h.Factory.Counters.AddTo(stats);

        Assert.Multiple(() =>
        {
            Assert.That(stats.Http2HpackBombs, Is.EqualTo(1));
            // SETTINGS, HEADERS, DATA and HEADERS from the client; HEADERS from the server.
            Assert.That(stats.Http2Frames, Is.EqualTo(5));
        });
    }

    [Test]
    public void OnData_HpackBomb_DropsThatStreamCountsItAndKeepsTheNext()
    {
        // One 4000-byte field indexed once, then referenced 100 times: 4 MB of headers from 4 KB of input.
        var bomb = new List<byte>(H2.Block((":method", "POST"), (":path", "/mcp")));
        bomb.AddRange(H2.Indexed("x-big", new string('a', 4000)));
        bomb.AddRange(Enumerable.Repeat((byte)0xBE, 100));
        var h = new StreamHarness().Run(
        [
            H2.Client(H2.Preface, H2.Headers(1, bomb.ToArray()), H2.Data(1, Initialize, endStream: true),
                H2.Headers(3, RequestBlock("/after"), endStream: true)),
            H2.Server(H2.Headers(1, H2.Block((":status", "200")), endStream: true)),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(h.Factory.Counters.Http2HpackBombs, Is.EqualTo(1));
            Assert.That(h.Single(ObservationKinds.HttpRequest).Fields.Get("path"), Is.EqualTo("/after"));
            Assert.That(h.Kinds, Does.Not.Contain(ObservationKinds.JsonRpcRequest));
        });
    }

    [Test]
    public void OnData_MoreStreamsThanTheLimit_GivesUpTheLeastRecentlyActiveAndCountsIt()
    {
        var h = new StreamHarness(options: new AnalyzerOptions { Http2MaxStreams = 2 }).Run(
        [
            // Stream 1 is busier than stream 3 when stream 5 comes: 3 goes, 1 and 5 are analysed to their end.
            H2.Client(H2.Preface, H2.Headers(1, RequestBlock("/a")), H2.Headers(3, RequestBlock("/b")), H2.Data(1, Initialize[..20]),
                H2.Headers(5, RequestBlock("/c")), H2.Data(5, Initialize, true), H2.Data(1, Initialize[20..], true),
                H2.Data(3, Initialize, true)),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(h.Factory.Counters.Http2StreamsRefused, Is.EqualTo(1));
            Assert.That(h.Observations.Where(o => o.Kind == ObservationKinds.JsonRpcRequest).Select(o => o.Fields.Get("http.path")),
                Is.EqualTo(new[] { "/c", "/a" }));
        });
    }

    [Test]
    public void OnData_TrailersOnAStreamGivenUp_DoNotOpenItAgainNorGiveUpAnother()
    {
        // Stream 1 is given up for stream 5; its trailers come later. A header block on a client stream id at or below
        // the highest opened is not a new stream (RFC 9113 5.1.1): it must not take the place of stream 3, whose
        // request is still arriving.
        var h = new StreamHarness(options: new AnalyzerOptions { Http2MaxStreams = 2 }).Run(
        [
            H2.Client(H2.Preface, H2.Headers(1, RequestBlock("/a")), H2.Headers(3, RequestBlock("/b")), H2.Data(3, Initialize[..20]),
                H2.Headers(5, RequestBlock("/c")), H2.Headers(1, H2.Block(("x-checksum", "1")), endStream: true),
                H2.Data(5, Initialize, true), H2.Data(3, Initialize[20..], true)),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(h.Factory.Counters.Http2StreamsRefused, Is.EqualTo(1));
            Assert.That(h.Observations.Where(o => o.Kind == ObservationKinds.JsonRpcRequest).Select(o => o.Fields.Get("http.path")),
                Is.EqualTo(new[] { "/c", "/b" }));
        });
    }

    [Test]
    public void OnData_StreamsLeftOpenUpToTheLimitThenMcp_McpStreamStillAnalysed()
    {
        // Streams opened and never ended (on purpose, or long event streams through one proxy connection) used to fill the
        // connection's table and make every later stream on it invisible.
        const int limit = 8;
        var frames = new List<byte[]> { H2.Preface };
        for (var i = 0; i < 4 * limit; i++) frames.Add(H2.Headers(1 + 2 * i, RequestBlock($"/idle{i}")));
        var mcp = 1 + 2 * 4 * limit;
        frames.Add(H2.Headers(mcp, RequestBlock()));
        frames.Add(H2.Data(mcp, Initialize, endStream: true));
        var h = new StreamHarness(options: new AnalyzerOptions { Http2MaxStreams = limit }).Run(
        [
            H2.Client([.. frames]),
            H2.Server(H2.Settings(), H2.Headers(mcp, SseResponseBlock()),
                H2.Data(mcp, "event: message\ndata: " + InitializeResult + "\n\n"), H2.Data(mcp, "", endStream: true)),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(h.Single(ObservationKinds.JsonRpcRequest).Fields.Get("method"), Is.EqualTo("initialize"));
            Assert.That(h.Single(ObservationKinds.JsonRpcResponse).Fields.Get("http.path"), Is.EqualTo("/mcp"));
            Assert.That(h.Factory.Counters.Http2StreamsRefused, Is.EqualTo(4 * limit + 1 - limit));
        });
    }

    [TestCase("frame")]
    [TestCase("hpack")]
    [TestCase("continuation")]
    public void OnData_BrokenInput_StopsTheDirectionCountsItAndKeepsEarlierStreams(string broken)
    {
        byte[] bad = broken switch
        {
            "frame" => H2.Frame(0x1, 0x4, 5, new byte[70_000]),
            "hpack" => H2.Headers(5, [0x80]),
            _ => H2.Frame(0x9, 0x4, 5, [0x82]),
        };
        var h = new StreamHarness().Run(
        [
            H2.Client(H2.Preface, H2.Headers(1, RequestBlock("/ok"), endStream: true), bad, H2.Headers(7, RequestBlock("/never"), true)),
            H2.Server(H2.Headers(1, H2.Block((":status", "202")), endStream: true)),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(h.Factory.Counters.Http2Stopped, Is.EqualTo(1));
            Assert.That(h.Single(ObservationKinds.HttpRequest).Fields.Get("path"), Is.EqualTo("/ok"));
            Assert.That(h.Single(ObservationKinds.HttpResponse).Fields.Get("status"), Is.EqualTo("202"));
        });
    }

    [Test]
    public void OnData_H2cUpgrade_AnswersTheHttp11RequestOnStream1()
    {
        var h = new StreamHarness().Run(
        [
            Segment.Client("POST /mcp HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n" +
                           "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\nContent-Type: application/json\r\nContent-Length: " +
                           Initialize.Length + "\r\n\r\n" + Initialize),
            H2.Server(System.Text.Encoding.ASCII.GetBytes("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"),
                H2.Settings(), H2.Headers(1, H2.Block((":status", "200"), ("content-type", "application/json")))),
            H2.Client(H2.Preface, H2.Settings(), H2.Headers(3, RequestBlock("/next"), endStream: true)),
            H2.Server(H2.Data(1, InitializeResult, endStream: true)),
        ]);

        var responses = h.Observations.Where(o => o.Kind == ObservationKinds.HttpResponse).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(responses.Select(r => r.Fields.Get("status")), Is.EqualTo(new[] { "101", "200" }));
            Assert.That(responses[1].Fields.Get("version"), Is.EqualTo("HTTP/2"));
            Assert.That(responses[1].Fields.Get("request.path"), Is.EqualTo("/mcp"));
            Assert.That(h.Single(ObservationKinds.JsonRpcResponse).Fields.Get("request.method"), Is.EqualTo("initialize"));
            Assert.That(h.Observations.Where(o => o.Kind == ObservationKinds.HttpRequest).Select(o => o.Fields.Get("path")),
                Is.EqualTo(new[] { "/mcp", "/next" }));
        });
    }
}
