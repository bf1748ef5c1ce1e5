using ShadowMcp.Classifier.Aggregation;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

/// <summary>
/// A finding lists at most 512 client addresses and 512 Host names (64 names tied to its flows). Someone who wants their
/// own use of a shadow server to go unlisted, or its real name left out of what gets blocked, can send it requests from
/// many decoy clients or with many decoy names, before or after: the real user and name, seen more often than any one
/// decoy, must stay on the finding.
/// </summary>
public sealed class ListFloodTests
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
    public void Add_DecoyHostNamesBeforeTheRealSession_RealNameAmongTheFindingsHosts()
    {
        var aggregator = Aggregator();
        aggregator.AddRange(Decoys(1));
        var decoy = Obs.Flow("198.18.0.1", 40_001, "10.0.0.5", 8123);
        for (var i = 0; i < 2 * Listed; i++)
            aggregator.Add(Obs.Request(decoy, 0, "POST", "/mcp", $"decoy{i}.example", ("content-type", "application/json")));
        aggregator.AddRange(Sessions.StreamableHttp2025(host: "tools.corp.example"));

        var finding = aggregator.Snapshot().Single(f => f.Endpoint.Key == "10.0.0.5:8123/mcp");

        Assert.That(finding.Hosts, Does.Contain("tools.corp.example"));
        Assert.That(aggregator.NamesDisplaced, Is.GreaterThan(0));
    }

    [Test]
    public void Add_DecoySnisBeforeTheRealSession_RealSniTiedToTheFinding()
    {
        // The session's Host header is its address, so the ClientHello is what names it; 64 names are tied at most.
        var aggregator = Aggregator();
        for (var i = 0; i < 200; i++)
        {
            var flow = Obs.Flow("198.18.0.1", 30_000 + i, "10.0.0.5", 8123);
            aggregator.Add(Obs.Tls(flow, 0, $"decoy{i}.example"));
            aggregator.Add(Obs.Rpc(flow, 0, Initialize, "http.request", "POST", "/mcp"));
        }
        var session = Sessions.StreamableHttp2025(host: "10.0.0.5");
        foreach (var flow in session.Select(o => o.Flow).Distinct()) aggregator.Add(Obs.Tls(flow, 0, "shadow.example"));
        aggregator.AddRange(session);

        var finding = aggregator.Snapshot().Single(f => f.Endpoint.Key == "10.0.0.5:8123/mcp");

        Assert.That(finding.Hosts, Does.Contain("shadow.example"));
        Assert.That(finding.Hosts, Has.Count.EqualTo(64));
    }

    [Test]
    public void MostSeen_FullTable_LeastSeenGivesWayAndTiesGoByName()
    {
        var tally = new MostSeen(3);
        tally.Add("b");
        tally.Add("a");
        tally.Add("c", 5);

        Assert.That(tally.Add("d"), Is.True);
        Assert.That(tally.Names, Is.EquivalentTo(new[] { "b", "c", "d" }), "a and b were seen once each; a goes first by name");
        Assert.That(tally.Add("e"), Is.True);
        Assert.That(tally.Names, Is.EquivalentTo(new[] { "c", "d", "e" }), "b (1) goes before d (2)");
    }

    [Test]
    public void Add_LegacySseMessagePathMergedIntoAFullStream_DisplacedClientsCounted()
    {
        // 512 clients posted to /messages before the stream's endpoint event named it, and 512 others read the stream:
        // the merge lists 512 of the 1,024, and the 512 that gave way are counted like any other.
        var aggregator = Aggregator();
        for (var i = 0; i < Listed; i++)
            aggregator.Add(Obs.Rpc(Obs.Flow($"198.18.{i / 250}.{i % 250 + 1}", 40_000, "10.0.0.9", 3001), 0, Initialize, "http.request", "POST", "/messages"));
        var readers = Enumerable.Range(0, Listed).Select(i => Obs.Flow($"198.19.{i / 250}.{i % 250 + 1}", 50_000, "10.0.0.9", 3001)).ToList();
        foreach (var reader in readers)
            aggregator.Add(Obs.Rpc(reader, 0, ServerInfoResult, "sse", "GET", "/sse"));
        Assert.That(aggregator.ClientsDisplaced, Is.Zero, "neither list was full before the merge");

        // Read by one of the posting clients, which is listed after the merge: only the merge displaces.
        aggregator.Add(Obs.Sse(Obs.Flow("198.18.0.1", 50_001, "10.0.0.9", 3001), 0, "endpoint", "/messages?sessionId=7d2a", "GET", "/sse"));

        var finding = aggregator.Snapshot().Single(f => f.Endpoint.Key == "10.0.0.9:3001/sse");
        Assert.That(finding.Clients, Has.Count.EqualTo(Listed));
        Assert.That(aggregator.ClientsDisplaced, Is.EqualTo(Listed));
    }

    private const string ServerInfoResult =
        """{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2024-11-05","capabilities":{"tools":{}},"serverInfo":{"name":"everything","version":"1.0.0"}}}""";
}
