using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Tests.Analysis;

namespace ShadowMcp.Scanner.Tests.Http;

/// <summary>
/// A connection refills its last ended response head for the next response. Nothing of the earlier response may
/// show in the later one: headers, content type, framing, coding, status and reason are each the later message's.
/// </summary>
public class ResponseHeadReuseTests
{
    [Test]
    public void Responses_OnOneConnection_CarryOnlyTheirOwnHead()
    {
        const string json = """{"jsonrpc":"2.0","id":1,"result":{}}""";
        var h = new StreamHarness().Run(
        [
            Segment.Client("POST /mcp HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"),
            Segment.Server("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nMcp-Session-Id: s-1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + HttpSamples.Chunk("event: message\ndata: " + json + "\n\n") + "0\r\n\r\n"),
            Segment.Client("POST /mcp HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"),
            Segment.Server("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"),
            Segment.Client("GET /other HTTP/1.1\r\nHost: h\r\n\r\n"),
            Segment.Server($"HTTP/1.1 404 Not There\r\nContent-Type: application/json\r\nContent-Length: {json.Length}\r\n\r\n{json}"),
        ]);

        var responses = h.Observations.Where(o => o.Kind == ObservationKinds.HttpResponse).Select(o => o.Fields.ToString()).ToList();
        Assert.That(responses, Is.EqualTo(new[]
        {
            "status=200, reason=OK, version=HTTP/1.1, content_type=text/event-stream, header.content-type=text/event-stream, header.mcp-session-id=s-1, header.transfer-encoding=chunked, request.method=POST, request.path=/mcp, request.host=h, request.header.host=h, request.header.content-length=0",
            "status=202, reason=Accepted, version=HTTP/1.1, header.content-length=0, body.length=0, request.method=POST, request.path=/mcp, request.host=h, request.header.host=h, request.header.content-length=0",
            $"status=404, reason=Not There, version=HTTP/1.1, content_type=application/json, header.content-type=application/json, header.content-length={json.Length}, body={json}, body.length={json.Length}, request.method=GET, request.path=/other, request.host=h, request.header.host=h",
        }));
        Assert.That(h.Kinds.Count(k => k == ObservationKinds.JsonRpcResponse), Is.EqualTo(2), "the SSE event's and the 404's body");
    }
}
