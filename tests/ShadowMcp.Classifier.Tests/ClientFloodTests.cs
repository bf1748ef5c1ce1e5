using ShadowMcp.Classifier.Aggregation;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

/// <summary>
/// A finding lists at most 512 client addresses. Someone who wants their own use of a shadow server to go unlisted
/// can send it MCP-looking requests from many decoy clients, before or after: the real user, seen more often than any
/// one decoy, must stay among the finding's clients.
/// </summary>
public sealed class ClientFloodTests
{
    private const int Listed = 512;

    private const string Initialize =
        """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}""";

    // One initialize POST from each of `count` decoy clients to the session's endpoint, 10.0.0.5:8123/mcp.
    private static IEnumerable<Observation> Decoys(int count) =>
        Enumerable.Range(0, count).Select(i =>
            Obs.Rpc(Obs.Flow($"198.18.{i / 250}.{i % 250 + 1}", 40_000, "10.0.0.5", 8123), 0, Initialize, "http.request", "POST", "/mcp"));

    private static FindingAggregator Aggregator() => McpClassifier.Create(ShippedRules.RuleSet).CreateAggregator();

    [Test]
    public void Add_DecoyClientsBeforeTheRealUser_RealUserListed()
    {
        var aggregator = Aggregator();
        aggregator.AddRange(Decoys(2 * Listed));
        aggregator.AddRange(Sessions.StreamableHttp2025(client: "10.0.0.7"));

        var finding = aggregator.Snapshot().Single(f => f.Endpoint.Key == "10.0.0.5:8123/mcp");

        Assert.That(finding.Clients, Does.Contain("10.0.0.7"));
        Assert.That(finding.Clients, Has.Count.EqualTo(Listed));
        Assert.That(aggregator.ClientsDisplaced, Is.GreaterThan(0));
    }

    [Test]
    public void Add_DecoyClientsAfterTheRealUser_RealUserListed()
    {
        var aggregator = Aggregator();
        aggregator.AddRange(Sessions.StreamableHttp2025(client: "10.0.0.7"));
        aggregator.AddRange(Decoys(2 * Listed));

        var finding = aggregator.Snapshot().Single(f => f.Endpoint.Key == "10.0.0.5:8123/mcp");

        Assert.That(finding.Clients, Does.Contain("10.0.0.7"));
        Assert.That(finding.Clients, Has.Count.EqualTo(Listed));
    }

    [Test]
    public void Add_ClientsWithinTheLimit_AllListedNothingDisplaced()
    {
        var aggregator = Aggregator();
        aggregator.AddRange(Decoys(Listed - 1));
        aggregator.AddRange(Sessions.StreamableHttp2025(client: "10.0.0.7"));

        Assert.That(aggregator.Snapshot().Single(f => f.Endpoint.Key == "10.0.0.5:8123/mcp").Clients, Has.Count.EqualTo(Listed));
        Assert.That(aggregator.ClientsDisplaced, Is.Zero);
    }

    [Test]
    public void ClientTally_FullTable_LeastSeenGivesWayAndTiesGoByName()
    {
        var tally = new ClientTally(3);
        tally.Add("b");
        tally.Add("a");
        tally.Add("c", 5);

        Assert.That(tally.Add("d"), Is.True);
        Assert.That(tally.Names, Is.EquivalentTo(new[] { "b", "c", "d" }), "a and b were seen once each; a goes first by name");
        Assert.That(tally.Add("e"), Is.True);
        Assert.That(tally.Names, Is.EquivalentTo(new[] { "c", "d", "e" }), "b (1) goes before d (2)");
    }
}
