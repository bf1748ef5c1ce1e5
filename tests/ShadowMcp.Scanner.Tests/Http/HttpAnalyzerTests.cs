using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Http;
using ShadowMcp.Scanner.Tests.Analysis;

namespace ShadowMcp.Scanner.Tests.Http;

public class HttpAnalyzerTests
{
    [Test]
    public void OnData_GetWithResponse_EmitsRequestThenResponseWithSelectedFields()
    {
        var h = new StreamHarness().Run(
        [
            Segment.Client("GET /status?verbose=1 HTTP/1.1\r\nHost: Api.Example.com:8443\r\nUser-Agent: curl/8.5\r\nX-Other: no\r\n\r\n"),
            Segment.Server("HTTP/1.1 200 OK\r\nContent-Type: Text/Plain; charset=utf-8\r\nServer: uvicorn\r\nContent-Length: 5\r\n\r\nhello"),
        ]);

        Assert.That(h.Kinds, Is.EqualTo(new[] { ObservationKinds.HttpRequest, ObservationKinds.HttpResponse }));
        var request = h.Observations[0].Fields;
        Assert.Multiple(() =>
        {
            Assert.That(request.Get("method"), Is.EqualTo("GET"));
            Assert.That(request.Get("target"), Is.EqualTo("/status?verbose=1"));
            Assert.That(request.Get("path"), Is.EqualTo("/status"));
            Assert.That(request.Get("query"), Is.EqualTo("verbose=1"));
            Assert.That(request.Get("host"), Is.EqualTo("api.example.com"));
            Assert.That(request.Get("header.user-agent"), Is.EqualTo("curl/8.5"));
            Assert.That(request.Has("header.x-other"), Is.False);
            Assert.That(request.Get("body.length"), Is.EqualTo("0"));
        });
        var response = h.Observations[1];
        Assert.Multiple(() =>
        {
            Assert.That(response.Fields.Get("status"), Is.EqualTo("200"));
            Assert.That(response.Fields.Get("reason"), Is.EqualTo("OK"));
            Assert.That(response.Fields.Get("content_type"), Is.EqualTo("text/plain"));
            Assert.That(response.Fields.Get("header.server"), Is.EqualTo("uvicorn"));
            Assert.That(response.Fields.Get("body"), Is.EqualTo("hello"));
            Assert.That(response.Fields.Get("request.method"), Is.EqualTo("GET"));
            Assert.That(response.Fields.Get("request.path"), Is.EqualTo("/status"));
            Assert.That(response.Fields.Get("request.host"), Is.EqualTo("api.example.com"));
            Assert.That(response.Flow, Is.EqualTo(new FlowRef("10.0.0.7", 51000, "10.0.0.5", 8123, "tcp")));
            Assert.That(response.Source, Is.EqualTo("test.pcap"));
        });
    }

    [Test]
    public void OnData_AuthorizationAndCookie_KeepsOnlyTheScheme()
    {
        var h = new StreamHarness().Run(HttpSamples.StreamableInitialize());

        var request = h.Single(ObservationKinds.HttpRequest).Fields;
        Assert.Multiple(() =>
        {
            Assert.That(request.Get("header.authorization"), Is.EqualTo("Bearer"));
            Assert.That(request.Has("header.cookie"), Is.False);
            Assert.That(request.ToString(), Does.Not.Contain("secret"));
            Assert.That(h.Single(ObservationKinds.HttpResponse).Fields.Get("request.header.authorization"), Is.EqualTo("Bearer"));
        });
    }

    [Test]
    public void OnData_ChunkedRequestWithExtensionsAndTrailers_DechunksTheBody()
    {
        var h = new StreamHarness().Run(
        [
            Segment.Client("POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" +
                           "5;name=\"x\";q=1\r\nhello\r\n" + "1B ; ext\r\n, this is chunked with exts\r\n" +
                           "0;last=1\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n" +
                           "GET /next HTTP/1.1\r\nHost: h\r\n\r\n"),
        ]);

        var requests = h.Observations.Where(o => o.Kind == ObservationKinds.HttpRequest).ToList();
        Assert.That(requests, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(requests[0].Fields.Get("body"), Is.EqualTo("hello, this is chunked with exts"));
            Assert.That(requests[0].Fields.Get("body.length"), Is.EqualTo("32"));
            Assert.That(requests[0].Fields.Get("header.transfer-encoding"), Is.EqualTo("gzip, chunked"));
            Assert.That(requests[1].Fields.Get("path"), Is.EqualTo("/next"));
        });
    }

    [Test]
    public void OnData_PipelinedRequests_PairsResponsesInOrder()
    {
        var h = new StreamHarness().Run(HttpSamples.Pipelined());

        var responses = h.Observations.Where(o => o.Kind == ObservationKinds.HttpResponse).ToList();
        Assert.That(responses, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(responses[0].Fields.Get("request.path"), Is.EqualTo("/mcp"));
            Assert.That(responses[1].Fields.Get("request.path"), Is.EqualTo("/mcp/call"));
            Assert.That(responses[1].Fields.Get("body"), Does.StartWith("{\"jsonrpc\":\"2.0\",\"id\":\"c-2\",\"error\""));
        });
    }

    [Test]
    public void OnData_HeadResponseWithContentLength_HasNoBody()
    {
        var h = new StreamHarness().Run(
        [
            Segment.Client("HEAD /big HTTP/1.1\r\nHost: h\r\n\r\nGET /small HTTP/1.1\r\nHost: h\r\n\r\n"),
            Segment.Server("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
        ]);

        var responses = h.Observations.Where(o => o.Kind == ObservationKinds.HttpResponse).ToList();
        Assert.That(responses, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(responses[0].Fields.Get("body.length"), Is.EqualTo("0"));
            Assert.That(responses[1].Fields.Get("request.path"), Is.EqualTo("/small"));
            Assert.That(responses[1].Fields.Get("body"), Is.EqualTo("ok"));
        });
    }

    [Test]
    public void OnData_InterimAndEmptyStatuses_FrameCorrectly()
    {
        var h = new StreamHarness().Run(
        [
            Segment.Client("POST /a HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi" +
                           "DELETE /b HTTP/1.1\r\nHost: h\r\n\r\nGET /c HTTP/1.1\r\nHost: h\r\n\r\n"),
            Segment.Server("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n" +
                           "HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n" +
                           "HTTP/1.1 304 Not Modified\r\n\r\n"),
        ]);

        var responses = h.Observations.Where(o => o.Kind == ObservationKinds.HttpResponse)
            .Select(o => $"{o.Fields.Get("status")} {o.Fields.Get("request.path")}").ToList();
        Assert.That(responses, Is.EqualTo(new[] { "100 /a", "201 /a", "204 /b", "304 /c" }));
    }

    [Test]
    public void OnData_SwitchingProtocols_StopsParsing()
    {
        var h = new StreamHarness();
        h.Run(
        [
            Segment.Client("GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"),
            Segment.Server("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello"),
            Segment.Client("\x81\x85GET / HTTP/1.1\r\n\r\n"),
        ], close: false);

        Assert.Multiple(() =>
        {
            Assert.That(h.Kinds, Is.EqualTo(new[] { ObservationKinds.HttpRequest, ObservationKinds.HttpResponse }));
            Assert.That(h.Observations[0].Fields.Get("header.upgrade"), Is.EqualTo("websocket"));
            Assert.That(h.Analyzer!.WantsMoreData, Is.False);
        });
    }

    [Test]
    public void OnClose_ResponseWithoutLength_EmitsBodyReadUntilClose()
    {
        var h = new StreamHarness();
        h.Run([Segment.Client("GET / HTTP/1.0\r\n\r\n"), Segment.Server("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html>"),
            Segment.Server("</html>")], close: false);
        Assert.That(h.Kinds, Is.EqualTo(new[] { ObservationKinds.HttpRequest }));

        h.Analyzer!.OnClose(StreamHarness.T0);

        Assert.That(h.Single(ObservationKinds.HttpResponse).Fields.Get("body"), Is.EqualTo("<html></html>"));
    }

    [Test]
    public void OnData_RequestsSentByTheResponder_MakeTheResponderTheClient()
    {
        var h = new StreamHarness().Run(
        [
            Segment.Server("POST /rpc HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"),
            Segment.Client("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"),
        ]);

        var expected = new FlowRef("10.0.0.5", 8123, "10.0.0.7", 51000, "tcp");
        Assert.That(h.Observations.Select(o => o.Flow), Is.All.EqualTo(expected));
        Assert.That(h.Observations, Has.Count.EqualTo(2));
    }

    [Test]
    public void CreateTcp_FlowPickedUpMidBody_ResyncsAtTheNextStartLine()
    {
        var h = new StreamHarness().Run(
        [
            Segment.Client("ody\":\"tail of an earlier body\"}\r\nPOST /mcp HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}"),
            Segment.Server("0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        ]);

        Assert.That(h.Kinds, Is.EqualTo(new[] { ObservationKinds.HttpRequest, ObservationKinds.HttpResponse }));
        Assert.That(h.Observations[1].Fields.Get("request.path"), Is.EqualTo("/mcp"));
    }

    [Test]
    public void OnGap_InsideContentLengthBody_KeepsFramingAndCountsSeenBytes()
    {
        var h = new StreamHarness();
        h.Feed(Segment.Client("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 20\r\n\r\n01234"));
        h.Analyzer!.OnGap(true, 10, StreamHarness.T0);
        h.Feed(Segment.Client("56789GET /b HTTP/1.1\r\nHost: h\r\n\r\n"));

        var requests = h.Observations.Where(o => o.Kind == ObservationKinds.HttpRequest).ToList();
        Assert.That(requests.Select(r => r.Fields.Get("path")), Is.EqualTo(new[] { "/a", "/b" }));
        Assert.That(requests[0].Fields.Get("body"), Is.EqualTo("01234"));
        Assert.That(requests[0].Fields.Get("body.length"), Is.EqualTo("10"));
    }

    [Test]
    public void OnGap_CoveringTheRestOfABody_KeepsPairingForTheNextExchange()
    {
        var h = new StreamHarness();
        h.Feed(Segment.Client("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n"));
        h.Feed(Segment.Server("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789"));
        h.Analyzer!.OnGap(false, 90, StreamHarness.T0);
        h.Feed(Segment.Server("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));

        var responses = h.Observations.Where(o => o.Kind == ObservationKinds.HttpResponse)
            .Select(o => $"{o.Fields.Get("status")} {o.Fields.Get("request.path")} {o.Fields.Get("body.length")}");
        Assert.That(responses, Is.EqualTo(new[] { "200 /a 10", "404 /b 0" }));
        Assert.That(h.Factory.Counters.HttpResyncs, Is.Zero);
    }

    [Test]
    public void OnGap_InsideChunkedBody_ResyncsAtTheNextRequest()
    {
        var h = new StreamHarness();
        h.Feed(Segment.Client("POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123"));
        h.Analyzer!.OnGap(true, 500, StreamHarness.T0);
        h.Feed(Segment.Client("ef\r\n0\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"));

        var paths = h.Observations.Where(o => o.Kind == ObservationKinds.HttpRequest).Select(r => r.Fields.Get("path"));
        Assert.That(paths, Is.EqualTo(new[] { "/a", "/b" }));
        Assert.That(h.Factory.Counters.HttpResyncs, Is.EqualTo(1));
    }

    [TestCase("GET /x HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", nameof(HttpRejectionReason.HeaderLineFolding))]
    [TestCase("GET /x HTTP/2.0\r\n\r\n", nameof(HttpRejectionReason.UnrecognizedHttpVersion))]
    [TestCase("GET /x HTTP/1.1\r\nBad Header: v\r\n\r\n", nameof(HttpRejectionReason.InvalidHeaderLine))]
    [TestCase("POST /x HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", nameof(HttpRejectionReason.InvalidContentLength))]
    [TestCase("POST /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", nameof(HttpRejectionReason.MultipleContentLengths))]
    [TestCase("POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", nameof(HttpRejectionReason.UnsupportedTransferEncoding))]
    [TestCase("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", nameof(HttpRejectionReason.BadChunkSizeData))]
    [TestCase("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", nameof(HttpRejectionReason.BadChunkSuffix))]
    [TestCase("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", nameof(HttpRejectionReason.BadChunkSizeData))]
    [TestCase("GET /x HTTP/1.1\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", nameof(HttpRejectionReason.UnexpectedStartLine))]
    public void OnData_ProtocolViolation_StopsTheDirectionWithItsReason(string input, string expected)
    {
        var h = new StreamHarness();
        h.Feed(Segment.Client(input));

        var reader = ((HttpAnalyzer)h.Analyzer!).ReaderFor(true);
        Assert.Multiple(() =>
        {
            Assert.That(reader.RejectionReason.ToString(), Is.EqualTo(expected));
            Assert.That(reader.Stopped, Is.True);
            Assert.That(h.Factory.Counters.HttpRejected, Is.EqualTo(1));
        });
    }

    [Test]
    public void OnData_LineLongerThanLimit_IsRejectedBeforeParsing()
    {
        var h = new StreamHarness();
        h.Feed(Segment.Client("GET /" + new string('a', 9000) + " HTTP/1.1\r\n\r\n"));

        Assert.That(((HttpAnalyzer)h.Analyzer!).ReaderFor(true).RejectionReason, Is.EqualTo(HttpRejectionReason.LineTooLong));
    }

    [Test]
    public void OnData_TooManyHeaders_IsRejected()
    {
        var headers = string.Concat(Enumerable.Range(0, 101).Select(i => $"X-H{i}: v\r\n"));
        var h = new StreamHarness();
        h.Feed(Segment.Client("GET / HTTP/1.1\r\n" + headers + "\r\n"));

        Assert.That(((HttpAnalyzer)h.Analyzer!).ReaderFor(true).RejectionReason, Is.EqualTo(HttpRejectionReason.TooManyHeaders));
    }

    [Test]
    public void OnData_HundredHeaders_AreAccepted()
    {
        var headers = string.Concat(Enumerable.Range(0, 100).Select(i => $"X-H{i}: v\r\n"));
        var h = new StreamHarness().Run([Segment.Client("GET / HTTP/1.1\r\n" + headers + "\r\n")]);

        Assert.That(h.Kinds, Is.EqualTo(new[] { ObservationKinds.HttpRequest }));
    }

    [Test]
    public void OnData_HeadBlockOverLimit_IsRejected()
    {
        var headers = string.Concat(Enumerable.Range(0, 90).Select(i => $"X-H{i}: {new string('v', 800)}\r\n"));
        var h = new StreamHarness();
        h.Feed(Segment.Client("GET / HTTP/1.1\r\n" + headers + "\r\n"));

        Assert.That(((HttpAnalyzer)h.Analyzer!).ReaderFor(true).RejectionReason, Is.EqualTo(HttpRejectionReason.HeadersTooLarge));
    }

    [Test]
    public void OnData_LargeBody_KeepsBoundedPrefixAndCountsAll()
    {
        var body = new string('x', 200_000);
        var h = new StreamHarness().Run(
            [Segment.Client($"POST /u HTTP/1.1\r\nHost: h\r\nContent-Length: {body.Length}\r\n\r\n{body}GET /after HTTP/1.1\r\n\r\n")]);

        var first = h.Observations[0].Fields;
        Assert.Multiple(() =>
        {
            Assert.That(first.Get("body")!.Length, Is.EqualTo(4096));
            Assert.That(first.Get("body.length"), Is.EqualTo("200000"));
            Assert.That(h.Observations[1].Fields.Get("path"), Is.EqualTo("/after"));
        });
    }

    [Test]
    public void OnData_BodyBytesPastThePrefix_AllocateNothing()
    {
        var h = new StreamHarness();
        h.Feed(Segment.Client("GET /download HTTP/1.1\r\n\r\n"));
        h.Feed(Segment.Server("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"));
        var chunk = System.Text.Encoding.ASCII.GetBytes(HttpSamples.Chunk(new string('b', 1400)));
        for (int i = 0; i < 100; i++) h.Analyzer!.OnData(false, chunk, StreamHarness.T0); // fill the kept prefix

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) h.Analyzer!.OnData(false, chunk, StreamHarness.T0);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.LessThan(1024));
    }

    [Test]
    public void OnData_AbsoluteFormTarget_IsReducedToPathAndHost()
    {
        var h = new StreamHarness().Run([Segment.Client("GET http://Proxy.Example:3128/mcp?a=b HTTP/1.1\r\n\r\n")]);

        var f = h.Single(ObservationKinds.HttpRequest).Fields;
        Assert.That((f.Get("path"), f.Get("query"), f.Get("host")), Is.EqualTo(("/mcp", "a=b", "proxy.example")));
    }

    [Test]
    public void OnData_EverySplitPointAndOneBytePerCall_GiveIdenticalObservations()
    {
        Segment[][] conversations =
        [
            HttpSamples.StreamableInitialize(),
            HttpSamples.Pipelined(),
            [
                Segment.Client("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;e=1\r\nabc\r\n0\r\nT: 1\r\n\r\n"),
                Segment.Server("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n: hi\rdata: a\r\ndata: b\n\nid: 7\r\nevent: x\r\ndata: c\r\r"),
            ],
        ];
        foreach (var conversation in conversations)
        {
            var baseline = StreamHarness.Render(new StreamHarness().Run(conversation).Observations);
            Assert.That(baseline, Is.Not.Empty);
            Assert.That(StreamHarness.Render(new StreamHarness().RunBytewise(conversation).Observations), Is.EqualTo(baseline));
            for (int s = 0; s < conversation.Length; s++)
            {
                for (int at = 1; at < conversation[s].Data.Length; at++)
                {
                    var split = StreamHarness.Render(new StreamHarness().RunSplit(conversation, s, at).Observations);
                    Assert.That(split, Is.EqualTo(baseline), $"segment {s} split at {at}");
                }
            }
        }
    }

    [Test]
    public void OnData_RandomGarbageAndMutations_NeverThrow()
    {
        var random = new Random(1234);
        var valid = HttpSamples.Pipelined();
        for (int round = 0; round < 300; round++)
        {
            var mutated = valid.Select(s => Mutate(s, random)).ToArray();
            Assert.DoesNotThrow(() => new StreamHarness().Run(mutated));
            var junk = new byte[random.Next(1, 3000)];
            random.NextBytes(junk);
            Assert.DoesNotThrow(() =>
            {
                var h = new StreamHarness();
                h.Feed(Segment.Client("GET / HTTP/1.1\r\n"));
                h.Analyzer!.OnData(round % 2 == 0, junk, StreamHarness.T0);
                h.Analyzer.OnGap(round % 3 == 0, random.Next(0, 100), StreamHarness.T0);
                h.Analyzer.OnData(true, junk, StreamHarness.T0);
                h.Analyzer.OnClose(StreamHarness.T0);
            });
        }
    }

    private static Segment Mutate(Segment segment, Random random)
    {
        var data = (byte[])segment.Data.Clone();
        for (int i = 0; i < 1 + random.Next(8); i++) data[random.Next(data.Length)] = (byte)random.Next(256);
        return segment with { Data = data };
    }
}
