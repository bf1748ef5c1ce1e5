using ShadowMcp.Classifier.Aggregation;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

/// <summary>
/// A finding's flow count: exact while an endpoint has seen up to <see cref="DistinctFlows.ExactLimit"/> flows, then an
/// estimate from a fixed-size sketch, so a server with millions of connections does not grow the scan's memory.
/// </summary>
public class DistinctFlowsTests
{
    private static FlowRef Flow(int i) =>
        new($"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}", 1024 + i % 50_000, "192.0.2.7", 443, "tcp");

    [Test]
    public void Count_BelowTheLimit_IsExactAndIgnoresRepeats()
    {
        var flows = new DistinctFlows();
        for (var round = 0; round < 3; round++)
            for (var i = 0; i < 20_000; i++) flows.Add(Flow(i));

        Assert.That(flows.Count, Is.EqualTo(20_000));
        Assert.That(flows.IsEstimate, Is.False);
    }

    [Test]
    public void Count_AtTheLimit_IsStillExact()
    {
        var flows = new DistinctFlows();
        for (var i = 0; i < DistinctFlows.ExactLimit; i++) flows.Add(Flow(i));

        Assert.That(flows.Count, Is.EqualTo(DistinctFlows.ExactLimit));
        Assert.That(flows.IsEstimate, Is.False);
    }

    [TestCase(70_000)]
    [TestCase(400_000)]
    [TestCase(3_000_000)]
    public void Count_PastTheLimit_EstimatesWithinOnePercent(int distinct)
    {
        var flows = new DistinctFlows();
        for (var i = 0; i < distinct; i++)
        {
            flows.Add(Flow(i));
            if (i % 3 == 0) flows.Add(Flow(i)); // repeats do not count
        }

        Assert.That(flows.IsEstimate, Is.True);
        Assert.That(flows.Count, Is.EqualTo(distinct).Within(1).Percent);
    }

    [Test]
    public void UnionWith_GivesTheSameCountAsOneSet_WhateverTheSplit()
    {
        // Shards or legacy SSE aliases merge counts: exact with exact, exact with sketch, sketch with sketch.
        var whole = new DistinctFlows();
        for (var i = 0; i < 150_000; i++) whole.Add(Flow(i));
        foreach (var split in new[] { 1_000, 75_000, 149_000 })
        {
            DistinctFlows left = new(), right = new();
            for (var i = 0; i < 150_000; i++) (i < split ? left : right).Add(Flow(i));
            // Overlap: the right side also saw some of the left's flows.
            for (var i = 0; i < Math.Min(split, 500); i++) right.Add(Flow(i));
            left.UnionWith(right);
            Assert.That(left.Count, Is.EqualTo(whole.Count), $"split at {split}");
        }
    }

    [Test]
    public void Hash_TellsTheFiveTupleApart()
    {
        var a = new FlowRef("10.0.0.1", 1000, "10.0.0.2", 443, "tcp");
        Assert.Multiple(() =>
        {
            Assert.That(DistinctFlows.Hash(a), Is.EqualTo(DistinctFlows.Hash(new FlowRef("10.0.0.1", 1000, "10.0.0.2", 443, "tcp"))));
            Assert.That(DistinctFlows.Hash(a), Is.Not.EqualTo(DistinctFlows.Hash(a with { ClientPort = 1001 })));
            Assert.That(DistinctFlows.Hash(a), Is.Not.EqualTo(DistinctFlows.Hash(a with { ServerPort = 444 })));
            Assert.That(DistinctFlows.Hash(a), Is.Not.EqualTo(DistinctFlows.Hash(a with { Protocol = "udp" })));
            Assert.That(DistinctFlows.Hash(a), Is.Not.EqualTo(DistinctFlows.Hash(a with { Client = "10.0.0.2", Server = "10.0.0.1" })));
            Assert.That(DistinctFlows.Hash(new FlowRef("1.1.1.1", 1, "1.1.1.11", 1, "tcp")),
                Is.Not.EqualTo(DistinctFlows.Hash(new FlowRef("1.1.1.11", 1, "1.1.1.1", 1, "tcp"))));
        });
    }
}
