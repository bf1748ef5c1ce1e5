using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Tests.Analysis;

namespace ShadowMcp.Scanner.Tests.Http;

public class SseTests
{
    private static Segment StreamHead(string extra = "") =>
        Segment.Server($"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n{extra}\r\n");

    [Test]
    public void OnData_StreamableInitialize_EmitsTheDocumentedSequence()
    {
        var h = new StreamHarness().Run(HttpSamples.StreamableInitialize());

        Assert.That(h.Kinds, Is.EqualTo(new[]
        {
            ObservationKinds.HttpRequest, ObservationKinds.JsonRpcRequest, ObservationKinds.HttpResponse,
            ObservationKinds.SseEvent, ObservationKinds.JsonRpcResponse,
        }));
        var request = h.Single(ObservationKinds.HttpRequest).Fields;
        var response = h.Single(ObservationKinds.HttpResponse).Fields;
        var sse = h.Single(ObservationKinds.SseEvent).Fields;
        var result = h.Single(ObservationKinds.JsonRpcResponse).Fields;
        Assert.Multiple(() =>
        {
            Assert.That(request.Get("header.accept"), Is.EqualTo("application/json, text/event-stream"));
            Assert.That(request.Get("header.mcp-protocol-version"), Is.EqualTo("2025-06-18"));
            Assert.That(request.Get("host"), Is.EqualTo("mcp.internal.example"));
            Assert.That(response.Get("content_type"), Is.EqualTo("text/event-stream"));
            Assert.That(response.Get("header.mcp-session-id"), Is.EqualTo("1868a90c-4b8f"));
            Assert.That(response.Has("body"), Is.False);
            Assert.That(response.Has("body.length"), Is.False);
            Assert.That(sse.Get("event"), Is.EqualTo("message"));
            Assert.That(sse.Get("data"), Is.EqualTo(HttpSamples.InitializeResult));
            Assert.That(sse.Get("request.path"), Is.EqualTo("/mcp"));
            Assert.That(result.Get("id"), Is.EqualTo("0"));
            Assert.That(result.Get("request.method"), Is.EqualTo("initialize"));
            Assert.That(result.Get("result.serverInfo.name"), Is.EqualTo("weather-mcp"));
            Assert.That(result.Get("result.protocolVersion"), Is.EqualTo("2025-06-18"));
            Assert.That(result.Get("result.capabilities.tools.listChanged"), Is.EqualTo("true"));
            Assert.That(result.Get("carrier"), Is.EqualTo("sse"));
            Assert.That(result.Get("http.status"), Is.EqualTo("200"));
            Assert.That(result.Get("http.content_type"), Is.EqualTo("text/event-stream"));
            Assert.That(result.Get("http.method"), Is.EqualTo("POST"));
            Assert.That(result.Get("http.header.mcp-protocol-version"), Is.EqualTo("2025-06-18"));
        });
    }

    [Test]
    public void OnData_LegacyEndpointStream_EmitsEventsBeforeTheStreamEnds()
    {
        var h = new StreamHarness().Run(
        [
            Segment.Client("GET /sse HTTP/1.1\r\nHost: localhost:3001\r\nAccept: text/event-stream\r\n\r\n"),
            StreamHead(),
            Segment.Server("event: endpoint\ndata: /messages?sessionId=abc\n\n"),
            Segment.Server(": ping\n\n"),
        ], close: false);

        var sse = h.Single(ObservationKinds.SseEvent);
        Assert.Multiple(() =>
        {
            Assert.That(sse.Fields.Get("event"), Is.EqualTo("endpoint"));
            Assert.That(sse.Fields.Get("data"), Is.EqualTo("/messages?sessionId=abc"));
            Assert.That(sse.Fields.Get("request.host"), Is.EqualTo("localhost"));
            Assert.That(h.Analyzer!.WantsMoreData, Is.True);
        });
    }

    [Test]
    public void OnData_MultiLineDataAndMixedLineEndings_FollowTheEventStreamRules()
    {
        var h = new StreamHarness().Run(
        [
            Segment.Client("GET /events HTTP/1.1\r\n\r\n"),
            StreamHead(),
            Segment.Server("\uFEFFdata: first\r\ndata:second\r\ndata\r\n\r\n" +
                           ": comment line\r" +
                           "id: 42\rretry: 3000\revent: update\rdata: {\"x\":1}\r\r" +
                           "id: only-id\n\n" +
                           "retry: soon\ndata: after\n\n"),
        ]);

        var events = h.Observations.Where(o => o.Kind == ObservationKinds.SseEvent).Select(o => o.Fields).ToList();
        Assert.That(events, Has.Count.EqualTo(3));
        Assert.Multiple(() =>
        {
            Assert.That(events[0].Get("data"), Is.EqualTo("first\nsecond\n"));
            Assert.That(events[0].Get("event"), Is.EqualTo("message"));
            Assert.That(events[0].Has("id"), Is.False);
            Assert.That(events[1].Get("event"), Is.EqualTo("update"));
            Assert.That(events[1].Get("id"), Is.EqualTo("42"));
            Assert.That(events[1].Get("retry"), Is.EqualTo("3000"));
            Assert.That(events[1].Get("data"), Is.EqualTo("{\"x\":1}"));
            Assert.That(events[2].Get("data"), Is.EqualTo("after"));
            Assert.That(events[2].Has("retry"), Is.False);
        });
    }

    [Test]
    public void OnData_OversizeEvent_IsDroppedAndCounted()
    {
        var h = new StreamHarness(options: new AnalyzerOptions { MaxSseEventBytes = 64 });
        h.Run(
        [
            Segment.Client("GET /e HTTP/1.1\r\n\r\n"),
            StreamHead(),
            Segment.Server("data: " + new string('a', 40) + "\ndata: " + new string('b', 40) + "\n\n"),
            Segment.Server("data: " + new string('c', 100)),
            Segment.Server("\n\ndata: small\n\n"),
        ]);

        var data = h.Observations.Where(o => o.Kind == ObservationKinds.SseEvent).Select(o => o.Fields.Get("data"));
        Assert.That(data, Is.EqualTo(new[] { "small" }));
        Assert.That(h.Factory.Counters.SseEventsDropped, Is.EqualTo(2));
    }

    [Test]
    public void OnData_OpenAiStyleChatStream_KeepsDataWithoutInventingJsonRpc()
    {
        const string chat = """{"model":"gpt-x","stream":true,"messages":[{"role":"user"}]}""";
        var h = new StreamHarness().Run(
        [
            Segment.Client("POST /v1/chat/completions HTTP/1.1\r\nHost: api.openai.example\r\nContent-Type: application/json\r\n" +
                           $"Content-Length: {chat.Length}\r\n\r\n{chat}"),
            StreamHead("Transfer-Encoding: chunked\r\n"),
            Segment.Server(HttpSamples.Chunk("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n") +
                           HttpSamples.Chunk("data: [DONE]\n\n") + "0\r\n\r\n"),
        ]);

        var data = h.Observations.Where(o => o.Kind == ObservationKinds.SseEvent).Select(o => o.Fields.Get("data")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(data, Is.EqualTo(new[] { "{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}", "[DONE]" }));
            Assert.That(h.Observations.Any(o => o.Kind.StartsWith("jsonrpc", StringComparison.Ordinal)), Is.False);
            Assert.That(h.Single(ObservationKinds.HttpRequest).Fields.Get("body"), Does.Contain("\"stream\":true"));
        });
    }

    [Test]
    public void OnData_ServerRequestOnStreamAndClientAnswer_ArePairedByDirection()
    {
        const string sampling = """{"jsonrpc":"2.0","id":1,"method":"sampling/createMessage","params":{"maxTokens":5}}""";
        const string answer = """{"jsonrpc":"2.0","id":1,"result":{"model":"m"}}""";
        var h = new StreamHarness().Run(
        [
            Segment.Client("GET /mcp HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n"),
            StreamHead(),
            Segment.Server($"data: {sampling}\n\n"),
            Segment.Client($"POST /mcp HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {answer.Length}\r\n\r\n{answer}"),
        ], close: false);

        var request = h.Single(ObservationKinds.JsonRpcRequest).Fields;
        var response = h.Single(ObservationKinds.JsonRpcResponse).Fields;
        Assert.Multiple(() =>
        {
            Assert.That(request.Get("carrier"), Is.EqualTo("sse"));
            Assert.That(response.Get("carrier"), Is.EqualTo("http.request"));
            Assert.That(response.Get("request.method"), Is.EqualTo("sampling/createMessage"));
        });
    }

    [Test]
    public void OnData_TwoEventStreamsOnOneConnection_DropTheUnfinishedEventAndStartClean()
    {
        const string first = "data: complete\n\ndata: unfinished";
        const string second = "\uFEFFdata: next\n\n";
        int secondLength = System.Text.Encoding.UTF8.GetByteCount(second);
        var h = new StreamHarness().Run(
        [
            Segment.Client("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n"),
            Segment.Server($"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: {first.Length}\r\n\r\n{first}" +
                           $"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: {secondLength}\r\n\r\n{second}"),
        ]);

        var events = h.Observations.Where(o => o.Kind == ObservationKinds.SseEvent)
            .Select(o => $"{o.Fields.Get("request.path")} {o.Fields.Get("data")}");
        Assert.That(events, Is.EqualTo(new[] { "/a complete", "/b next" }));
    }
}
