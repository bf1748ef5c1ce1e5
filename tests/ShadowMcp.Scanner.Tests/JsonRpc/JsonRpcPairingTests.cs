using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.JsonRpc;
using ShadowMcp.Scanner.Tests.Analysis;
using ShadowMcp.Scanner.Tests.Http;

namespace ShadowMcp.Scanner.Tests.JsonRpc;

public class JsonRpcPairingTests
{
    [Test]
    public void OnData_JsonResponses_NameTheMethodOfTheirRequest()
    {
        var h = new StreamHarness().Run(HttpSamples.Pipelined());

        var rpc = h.Observations.Where(o => o.Kind.StartsWith("jsonrpc.", StringComparison.Ordinal)).ToList();
        Assert.That(rpc.Select(o => o.Kind), Is.EqualTo(new[]
        {
            ObservationKinds.JsonRpcRequest, ObservationKinds.JsonRpcRequest, ObservationKinds.JsonRpcResponse, ObservationKinds.JsonRpcError,
        }));
        Assert.Multiple(() =>
        {
            Assert.That(rpc[1].Fields.Get("params.arguments.city"), Is.EqualTo("Oslo"));
            Assert.That(rpc[1].Fields.Get("carrier"), Is.EqualTo("http.request"));
            Assert.That(rpc[1].Fields.Get("http.path"), Is.EqualTo("/mcp/call"));
            Assert.That(rpc[1].Fields.Has("http.status"), Is.False);
            Assert.That(rpc[2].Fields.Get("request.method"), Is.EqualTo("tools/list"));
            Assert.That(rpc[2].Fields.GetAll("result.tools[].name"), Is.EqualTo(new[] { "get_forecast", "get_alerts" }));
            Assert.That(rpc[2].Fields.Get("carrier"), Is.EqualTo("http.response"));
            Assert.That(rpc[2].Fields.Get("http.content_type"), Is.EqualTo("application/json"));
            Assert.That(rpc[3].Fields.Get("request.method"), Is.EqualTo("tools/call"));
            Assert.That(rpc[3].Fields.Get("error.code"), Is.EqualTo("-32602"));
            Assert.That(rpc[3].Fields.Get("http.path"), Is.EqualTo("/mcp/call"));
        });
    }

    [Test]
    public void OnData_BatchBody_EmitsOneObservationPerElementMarkedAsBatch()
    {
        const string batch = """[{"jsonrpc":"2.0","id":"1","method":"a"},{"jsonrpc":"2.0","method":"n"}]""";
        const string answer = """[{"jsonrpc":"2.0","id":1,"result":0},{"jsonrpc":"2.0","id":"1","result":1}]""";
        var h = new StreamHarness().Run(
        [
            Segment.Client($"POST /rpc HTTP/1.1\r\nContent-Length: {batch.Length}\r\n\r\n{batch}"),
            Segment.Server($"HTTP/1.1 200 OK\r\nContent-Length: {answer.Length}\r\n\r\n{answer}"),
        ]);

        var rpc = h.Observations.Where(o => o.Kind.StartsWith("jsonrpc.", StringComparison.Ordinal)).Select(o => o.Fields).ToList();
        Assert.That(rpc, Has.Count.EqualTo(4));
        Assert.Multiple(() =>
        {
            Assert.That(rpc.All(f => f.Get("batch") == "true"), Is.True);
            // The numeric id 1 does not answer the string id "1".
            Assert.That(rpc[2].Has("request.method"), Is.False);
            Assert.That(rpc[3].Get("request.method"), Is.EqualTo("a"));
        });
    }

    [Test]
    public void PendingRequestIds_OverCapacity_ForgetsTheOldest()
    {
        var ids = new PendingRequestIds(3);
        for (int i = 0; i < 5; i++) ids.Add($"n:{i}", $"m{i}");

        Assert.Multiple(() =>
        {
            Assert.That(ids.Count, Is.EqualTo(3));
            Assert.That(ids.Take("n:0"), Is.Null);
            Assert.That(ids.Take("n:4"), Is.EqualTo("m4"));
            Assert.That(ids.Take("n:4"), Is.Null);
        });
    }

    [Test]
    public void PendingRequestIds_ManyAnsweredIds_StayBounded()
    {
        var ids = new PendingRequestIds(4);
        for (int i = 0; i < 10_000; i++)
        {
            ids.Add($"n:{i}", "m");
            Assert.That(ids.Take($"n:{i}"), Is.EqualTo("m"));
        }
        ids.Add("n:x", "last");

        Assert.That(ids.Take("n:x"), Is.EqualTo("last"));
    }

    [Test]
    public void OnData_TruncatedJsonBody_IsCountedAsUnparsed()
    {
        var options = new AnalyzerOptions { JsonPrefixBytes = 32 };
        const string body = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}""";
        var h = new StreamHarness(options: options).Run(
            [Segment.Client($"POST /mcp HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}")]);

        Assert.That(h.Kinds, Is.EqualTo(new[] { ObservationKinds.HttpRequest }));
        Assert.That(h.Factory.Counters.JsonRpcUnparsed, Is.EqualTo(1));
    }
}
