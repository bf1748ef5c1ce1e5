using ShadowMcp.Classifier.Rules;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

/// <summary>
/// Rules are compiled once so that an observation no rule matches costs comparisons, not garbage: on MCP-dense
/// traffic most observations hit nothing, and allocation per observation set the classifier's pace.
/// </summary>
public sealed class MatchAllocationTests
{
    [Test]
    public void Match_ObservationsNoShippedRuleHits_AllocateNothing()
    {
        var rules = ShippedRules.RuleSet;
        var flow = Obs.Flow("10.0.0.7", 51000, "10.0.0.5", 8080);
        Observation[] misses =
        [
            Obs.Request(flow, 1, "GET", "/assets/1.bin?x=1", "static.example.com", ("user-agent", "curl/8.5"), ("accept", "*/*")),
            Obs.Response(flow, 1, 200, "application/octet-stream", "GET", "/assets/1.bin", ("server", "nginx")),
            Obs.Rpc(flow, 2, """{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0x0","latest"]}""", "http.request", "POST", "/rpc"),
        ];
        foreach (var observation in misses) Assert.That(rules.Match(observation), Is.Empty, observation.ToString());
        for (var warm = 0; warm < 50; warm++)
            foreach (var observation in misses) rules.Match(observation);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
            foreach (var observation in misses) rules.Match(observation);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero, "bytes allocated by 3000 rule matches that hit nothing");
    }

    [Test]
    public void Match_EventDataNoRuleOfItsKindReads_IsNeverDecoded()
    {
        // The legacy-SSE rule reads data only for "endpoint" events, so a "message" event's data stays bytes.
        var rules = ShippedRules.RuleSet;
        var data = System.Text.Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"result":{"tools":[""" + new string(' ', 3000) + "]}}");
        var fields = new FieldBag(8) { DecodesLazily = true };
        var observation = new Observation
        {
            Kind = ObservationKinds.SseEvent, Flow = Obs.Flow("10.0.0.7", 51000, "10.0.0.5", 8080), Time = Obs.T0, Fields = fields,
        };
        void Refill()
        {
            fields.Clear();
            fields.Add("event", "message").AddUtf8("data", data, 4096).Add("request.method", "POST").Add("request.path", "/mcp");
        }
        for (var warm = 0; warm < 50; warm++) { Refill(); rules.Match(observation); }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) { Refill(); rules.Match(observation); }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero, "bytes allocated matching 1000 message events: their data was decoded");
    }
}
