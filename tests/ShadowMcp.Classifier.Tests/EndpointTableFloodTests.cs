using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

/// <summary>
/// An attacker who fills the aggregator's endpoint table with MCP-looking endpoints must neither hide a real shadow
/// server that shows up later nor make every later observation scan the whole table.
/// </summary>
public sealed class EndpointTableFloodTests
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}""";

    private static readonly ClassifierOptions Small = new() { MaxTrackedEndpoints = 64, MaxPathsPerServer = 8 };

    private static FindingAggregator Aggregator() => McpClassifier.Create(ShippedRules.RuleSet, Small).CreateAggregator();

    // One MCP-looking initialize POST to server:port on its own path: an endpoint with finding evidence.
    private static Observation Decoy(string server, int port, string path, int second) =>
        Obs.Rpc(Obs.Flow("10.0.0.66", 40000 + second % 20000, server, port), second, Initialize, "http.request", "POST", path);

    private static Finding? Real(IReadOnlyList<Finding> findings) => findings.SingleOrDefault(f => f.Endpoint.Key == "10.0.0.5:8123/mcp");

    [Test]
    public void Add_DistinctPathFloodOnOneServerThenRealServer_RealServerFoundAndFloodFolded()
    {
        var aggregator = Aggregator();
        for (var i = 0; i < 1_000; i++) aggregator.Add(Decoy("203.0.113.66", 8080, $"/p{i}", i));
        aggregator.AddRange(Sessions.StreamableHttp2025());

        var findings = aggregator.Snapshot();

        Assert.That(Real(findings)?.Verdict, Is.EqualTo(Verdict.Shadow));
        var folded = findings.Single(f => f.Endpoint.Key == "203.0.113.66:8080/*");
        Assert.That(folded.Evidence.Single(e => e.Rule == "mcp-initialize-request").Count, Is.EqualTo(1_000 - 8));
        Assert.That(findings.Count(f => f.Endpoint.Address == "203.0.113.66"), Is.EqualTo(8 + 1));
        Assert.That(aggregator.FoldedHits, Is.GreaterThanOrEqualTo(1_000 - 8));
        Assert.That(aggregator.LimitSummary(), Does.StartWith("endpoint limits reached: "));
    }

    [Test]
    public void Add_FloodOverManyPortsOfOneAddressAfterRealServer_RealServerKept()
    {
        // Ports get round the per-server path cap; the table then gives up the crowded address first.
        var aggregator = Aggregator();
        aggregator.AddRange(Sessions.StreamableHttp2025());
        for (var i = 0; i < 2_000; i++) aggregator.Add(Decoy("203.0.113.66", 1024 + i, "/mcp", i));

        Assert.That(Real(aggregator.Snapshot())?.Verdict, Is.EqualTo(Verdict.Shadow));
        Assert.That(aggregator.EndpointsEvicted, Is.GreaterThan(0));
    }

    [Test]
    public void Add_FloodOverAddressesOfOneIpv6Slash64AfterRealServer_RealServerKept()
    {
        var aggregator = Aggregator();
        aggregator.AddRange(Sessions.StreamableHttp2025());
        for (var i = 0; i < 2_000; i++) aggregator.Add(Decoy($"2001:db8:66:1::{i + 1:x}", 443, "/mcp", i));

        Assert.That(Real(aggregator.Snapshot())?.Verdict, Is.EqualTo(Verdict.Shadow));
    }

    [Test]
    public void Add_FloodOverManyAddressesThenRealServer_RealServerTracked()
    {
        // Every endpoint from its own address: nothing to fold or to prefer, yet the newcomer is never turned away.
        var aggregator = Aggregator();
        for (var i = 0; i < 2_000; i++) aggregator.Add(Decoy($"198.18.{i / 250}.{i % 250 + 1}", 443, "/mcp", i));
        aggregator.AddRange(Sessions.StreamableHttp2025());

        var findings = aggregator.Snapshot();

        Assert.That(Real(findings)?.Verdict, Is.EqualTo(Verdict.Shadow));
        Assert.That(findings, Has.Count.LessThanOrEqualTo(64));
        // Every endpoint with evidence is either still a finding or counted as given up.
        Assert.That(findings.Count + aggregator.EndpointsEvicted, Is.EqualTo(2_000 + 1));
    }

    [Test]
    public void Add_TableFullOfEvidenceEndpoints_RoomMadeInBatchesNotPerObservation()
    {
        var aggregator = Aggregator();
        const int flood = 10_000;
        for (var i = 0; i < flood; i++) aggregator.Add(Decoy($"198.18.{i / 250}.{i % 250 + 1}", 443, "/mcp", i));

        // A pass frees an eighth of the table: about flood / 8 passes, each looking at 64 states.
        Assert.That(aggregator.RoomPasses, Is.LessThanOrEqualTo((flood - 64) / 8 + 1));
        Assert.That(aggregator.StatesRanked, Is.LessThanOrEqualTo(8L * flood + 64));
    }

    [Test]
    public void Add_TableFullWithContextOnlyEndpoints_ContextEndpointsGoBeforeEvidence()
    {
        var aggregator = Aggregator();
        aggregator.AddRange(Sessions.StreamableHttp2025());
        // Plain GETs to OAuth metadata are context only: they fill the table but must go first.
        for (var i = 0; i < 200; i++)
            aggregator.Add(Obs.Request(Obs.Flow("10.0.0.7", 30000 + i, $"198.19.0.{i % 250 + 1}", 443 + i), i,
                "GET", "/.well-known/oauth-protected-resource", null));

        Assert.That(Real(aggregator.Snapshot())?.Verdict, Is.EqualTo(Verdict.Shadow));
        Assert.That(aggregator.EndpointsEvicted, Is.EqualTo(0));
        Assert.That(aggregator.ContextEndpointsEvicted, Is.GreaterThan(0));
    }

    [Test]
    public void Add_PathFloodOnTheRealServerItself_RealSessionFoldedWithItsEvidenceAndTransport()
    {
        // The attacker fills the real server's own path budget first: its MCP session lands in the server's "/*".
        var aggregator = Aggregator();
        for (var i = 0; i < 8; i++) aggregator.Add(Decoy("10.0.0.5", 8123, $"/p{i}", i));
        aggregator.AddRange(Sessions.StreamableHttp2025());

        var folded = aggregator.Snapshot().Single(f => f.Endpoint.Key == "10.0.0.5:8123/*");

        Assert.Multiple(() =>
        {
            Assert.That(folded.Verdict, Is.EqualTo(Verdict.Shadow));
            Assert.That(folded.Transport, Is.EqualTo(Transports.StreamableHttp));
            Assert.That(folded.Server, Is.EqualTo(new ServerInfo("weather-server", "1.4.2")));
            Assert.That(folded.Evidence.Select(e => e.Rule), Does.Contain("mcp-initialize-request").And.Contain("mcp-session-id-header"));
        });
    }

    [Test]
    public void Add_SessionWithinLimits_NothingFoldedOrGivenUp()
    {
        var aggregator = Aggregator();
        aggregator.AddRange(Sessions.StreamableHttp2025());

        Assert.That(aggregator.LimitSummary(), Is.Null);
        Assert.That(aggregator.RoomPasses, Is.EqualTo(0));
    }

    [TestCase("2001:db8:66:1::1", "2001:db8:66:1::/64")]
    [TestCase("2001:db8:66:1:ffff::9", "2001:db8:66:1::/64")]
    [TestCase("::ffff:192.0.2.7", "192.0.2.7")]
    [TestCase("192.0.2.7", "192.0.2.7")]
    public void AddressGroup_OfAddress_Ipv4AloneIpv6By64(string address, string group) =>
        Assert.That(Aggregation.AddressGroup.Of(new Endpoint(address, 443, null, "/mcp")), Is.EqualTo(group));

    [TestCase("a.b.tools.example.com", "example.com")]
    [TestCase("mcp.notion.com", "notion.com")]
    [TestCase("localhost", "localhost")]
    public void AddressGroup_OfName_LastTwoLabels(string host, string group) =>
        Assert.That(Aggregation.AddressGroup.Of(new Endpoint(null, null, host, null)), Is.EqualTo(group));
}
