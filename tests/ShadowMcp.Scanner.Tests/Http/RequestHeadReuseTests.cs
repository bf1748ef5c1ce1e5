using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Tests.Analysis;

namespace ShadowMcp.Scanner.Tests.Http;

/// <summary>
/// A connection takes a request head (and its request info) back once its answer has been emitted and refills it for
/// a later request. Nothing of the earlier request may show in the later one, and a request must not be refilled while
/// a response still waits for it (pipelined, or behind an interim 1xx).
/// </summary>
public class RequestHeadReuseTests
{
    private const string Json = """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""";

    [Test]
    public void Requests_OnOneConnection_CarryOnlyTheirOwnHead()
    {
        var h = new StreamHarness().Run(
        [
            Segment.Client($"POST /mcp?x=1 HTTP/1.1\r\nHost: h:8123\r\nContent-Type: application/json\r\nMcp-Session-Id: s-1\r\n"
                + $"Authorization: Bearer secret\r\nContent-Length: {Json.Length}\r\n\r\n{Json}"),
            Segment.Server("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"),
            Segment.Client("GET /events HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n"),
            Segment.Server("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"),
            Segment.Client("DELETE http://other.example/mcp HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
            Segment.Server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        ]);

        Assert.That(Fields(h, ObservationKinds.HttpRequest), Is.EqualTo(new[]
        {
            $"method=POST, target=/mcp?x=1, version=HTTP/1.1, path=/mcp, query=x=1, host=h, header.host=h:8123, header.content-type=application/json, header.mcp-session-id=s-1, header.authorization=Bearer, header.content-length={Json.Length}, body={Json}, body.length={Json.Length}",
            "method=GET, target=/events, version=HTTP/1.1, path=/events, header.accept=text/event-stream, body.length=0",
            "method=DELETE, target=http://other.example/mcp, version=HTTP/1.1, path=/mcp, host=other.example, header.transfer-encoding=chunked, body.length=0",
        }));
        Assert.That(Fields(h, ObservationKinds.HttpResponse), Is.EqualTo(new[]
        {
            "status=202, reason=Accepted, version=HTTP/1.1, header.content-length=0, body.length=0, request.method=POST, request.path=/mcp, request.host=h, request.header.host=h:8123, request.header.content-type=application/json, request.header.mcp-session-id=s-1, request.header.authorization=Bearer, request.header.content-length=46",
            "status=405, reason=Method Not Allowed, version=HTTP/1.1, header.content-length=0, body.length=0, request.method=GET, request.path=/events, request.header.accept=text/event-stream",
            "status=200, reason=OK, version=HTTP/1.1, header.content-length=0, body.length=0, request.method=DELETE, request.path=/mcp, request.host=other.example, request.header.transfer-encoding=chunked",
        }));
    }

    [Test]
    public void PipelinedRequests_AreEachNamedByTheirOwnAnswer()
    {
        // Both requests wait in the queue before either is answered; a third comes when the first has been answered.
        var h = new StreamHarness().Run(
        [
            Segment.Client("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: b\r\n\r\n"),
            Segment.Server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
            Segment.Client("GET /c HTTP/1.1\r\nHost: c\r\n\r\n"),
            Segment.Server("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"),
        ]);

        Assert.That(Answered(h), Is.EqualTo(new[] { "200 GET /a a", "201 GET /b b", "202 GET /c c" }));
    }

    [Test]
    public void InterimResponse_LeavesItsRequestForTheFinalOne()
    {
        // Request b is read while request a still waits behind a 100 Continue: a's head must not be refilled for b.
        var h = new StreamHarness().Run(
        [
            Segment.Client("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}"),
            Segment.Server("HTTP/1.1 100 Continue\r\n\r\n"),
            Segment.Client("GET /b HTTP/1.1\r\nHost: b\r\n\r\n"),
            Segment.Server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"),
            Segment.Client("GET /c HTTP/1.1\r\nHost: c\r\n\r\n"),
            Segment.Server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        ]);

        Assert.That(Answered(h), Is.EqualTo(new[] { "100 POST /a a", "200 POST /a a", "204 GET /b b", "200 GET /c c" }));
    }

    private static List<string> Fields(StreamHarness h, string kind) =>
        h.Observations.Where(o => o.Kind == kind).Select(o => o.Fields.ToString()).ToList();

    private static List<string> Answered(StreamHarness h) =>
        h.Observations.Where(o => o.Kind == ObservationKinds.HttpResponse)
            .Select(o => $"{o.Fields.Get("status")} {o.Fields.Get("request.method")} {o.Fields.Get("request.path")} {o.Fields.Get("request.host")}")
            .ToList();
}
