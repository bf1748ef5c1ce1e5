using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

/// <summary>
/// On MCP-dense traffic most observations hit rules, and the aggregator used to make a hit object, a record list and
/// an endpoint key for each hit. Filing a hit under an endpoint it already tracks must now cost no garbage.
/// </summary>
public sealed class AggregationAllocationTests
{
    [Test]
    public void Add_HitsOnKnownEndpointsAndFlows_AllocateNothing()
    {
        var session = Sessions.StreamableHttp2025();
        var aggregator = McpClassifier.Create(ShippedRules.RuleSet).CreateAggregator();
        for (var warm = 0; warm < 50; warm++)
            foreach (var observation in session) aggregator.Add(observation);
        var hitsBefore = aggregator.Hits;

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
            foreach (var observation in session) aggregator.Add(observation);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(aggregator.Hits - hitsBefore, Is.GreaterThan(200 * session.Count / 2), "the session's observations hit rules");
        Assert.That(allocated, Is.Zero, "bytes allocated by adding the same session's observations again");
    }

    [Test]
    public void FlowRef_KeyAndEquality_FollowTheFiveTuple()
    {
        var flow = new FlowRef("10.0.0.7", 50001, "10.0.0.5", 8123, "tcp");
        var keyed = new FlowRef("10.0.0.7", 50001, "10.0.0.5", 8123, "tcp");
        _ = keyed.Key; // cached on one side only: equality must not see the cache
        var moved = keyed with { ClientPort = 50002 };

        Assert.Multiple(() =>
        {
            Assert.That(keyed, Is.EqualTo(flow));
            Assert.That(keyed.GetHashCode(), Is.EqualTo(flow.GetHashCode()));
            Assert.That(moved.Key, Is.EqualTo("tcp:10.0.0.7:50002>10.0.0.5:8123"));
            Assert.That(moved, Is.Not.EqualTo(flow));
        });
    }

    [TestCase("10.0.0.5")]
    [TestCase("1")]
    [TestCase("0x7f.1")]
    [TestCase("0177.0.0.1")]
    [TestCase("::1")]
    [TestCase("fe80::1%eth0")]
    [TestCase("tools.corp.example")]
    [TestCase("localhost")]
    [TestCase("deadbeef")]
    [TestCase("1.2.3.4.5")]
    [TestCase("10.0.0.5:8123")]
    [TestCase("a::b::c")]
    public void MayBeAddress_AgreesWithIPAddressParsing(string host) =>
        Assert.That(Aggregation.EndpointState.MayBeAddress(host), Is.EqualTo(System.Net.IPAddress.TryParse(host, out _)));
}
