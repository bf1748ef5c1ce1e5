using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

/// <summary>
/// A sanctioned server with more paths than the aggregator tracks per server (ClassifierOptions.MaxPathsPerServer):
/// its paths past the limit are folded, and folding must neither turn its sanctioned traffic into a shadow finding nor
/// hide a shadow path on the same address:port behind the sanctioned verdict. Sanctioning is decided per finding by
/// address, port, path prefix and the names its flows used (Core/Findings/SanctionedEndpoint.cs).
/// </summary>
public sealed class SanctionedFoldTests
{
    private const int PathLimit = 8;
    private const string Server = "10.0.0.5";
    private const int Port = 8123;

    private const string InitializeJson =
        """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}""";

    private static IReadOnlyList<Finding> Classify(SanctionedEndpoint sanctioned, IEnumerable<Observation> observations) =>
        McpClassifier.Create(ShippedRules.RuleSet, new ClassifierOptions { MaxPathsPerServer = PathLimit, Sanctioned = [sanctioned] })
            .Classify(observations)
            .Where(f => f.Endpoint.Address == Server)
            .ToList();

    // An MCP initialize POST to the server on its own path, sent with the Host header given, as the scanner reports
    // it: the request, then the JSON-RPC message it carried (with the request's host).
    private static IEnumerable<Observation> Initialize(string path, string host, int i)
    {
        var flow = Obs.Flow("10.0.0.7", 40_000 + i, Server, Port);
        yield return Obs.Request(flow, i, "POST", path, host, ("accept", "application/json, text/event-stream"), ("content-type", "application/json"));
        var rpc = Obs.Rpc(flow, i, InitializeJson, "http.request", "POST", path);
        rpc.Fields.Add("http.host", host);
        yield return rpc;
    }

    // The client's DNS answer for the sanctioned name: a name-only entry takes a Host header only when a DNS answer
    // ties the name to the address (SpoofedSanctionedNameTests).
    private static Observation Resolved(string name) =>
        Obs.Dns(Obs.Flow("10.0.0.7", 5353, "10.0.0.1", 53, "udp"), 0, name, response: true, Server);

    private static IEnumerable<Observation> GatewayPaths(string prefix, string host, int count) =>
        Enumerable.Range(0, count).SelectMany(i => Initialize($"{prefix}tool{i}", host, i));

    [Test]
    public void Classify_SanctionedPathPrefixServerWithMorePathsThanTracked_EveryFindingSanctioned()
    {
        var gateway = new SanctionedEndpoint(null, Server, Port, "/api/", "corp MCP gateway");

        var findings = Classify(gateway, GatewayPaths("/api/", "gateway.corp.example", 3 * PathLimit));

        Assert.That(findings, Has.Count.EqualTo(PathLimit + 1), "the tracked paths and one folded endpoint");
        Assert.That(findings.Select(f => f.Verdict), Is.All.EqualTo(Verdict.Sanctioned));
    }

    [Test]
    public void Classify_SanctionedPathPrefixServerPastItsLimitThenShadowPathOutsideThePrefix_ShadowPathIsShadow()
    {
        var gateway = new SanctionedEndpoint(null, Server, Port, "/api/", "corp MCP gateway");
        List<Observation> observations = [.. GatewayPaths("/api/", "gateway.corp.example", 3 * PathLimit), .. Initialize("/rogue", "gateway.corp.example", 999)];

        var findings = Classify(gateway, observations);

        var shadow = findings.Single(f => f.Verdict != Verdict.Sanctioned);
        Assert.That(shadow.Endpoint.Path, Is.EqualTo("/*"));
        Assert.That(shadow.Verdict, Is.EqualTo(Verdict.Shadow));
        Assert.That(shadow.Evidence.Single(e => e.Rule == "mcp-initialize-request").Count, Is.EqualTo(1));
    }

    [Test]
    public void Classify_SanctionedHostPastItsLimitThenShadowHostOnTheSameAddressAndPort_ShadowNotCoveredBySanctionedName()
    {
        // One reverse proxy address:port serving the sanctioned name on many paths and another name on one more.
        var sanctioned = new SanctionedEndpoint("tools.corp.example", null, null, null, "approved tools server");
        List<Observation> observations =
            [Resolved("tools.corp.example"), .. GatewayPaths("/", "tools.corp.example", 3 * PathLimit), .. Initialize("/mcp", "rogue.example", 999)];

        var findings = Classify(sanctioned, observations);

        var shadow = findings.Single(f => f.Verdict != Verdict.Sanctioned);
        Assert.Multiple(() =>
        {
            Assert.That(shadow.Verdict, Is.EqualTo(Verdict.Shadow));
            Assert.That(shadow.Hosts, Is.EqualTo(new[] { "rogue.example" }));
            Assert.That(findings.Where(f => f != shadow).SelectMany(f => f.Hosts).Distinct(), Is.EqualTo(new[] { "tools.corp.example" }));
        });
    }

    [Test]
    public void Classify_SanctionedHostPastItsLimit_FoldedSanctionedEndpointKeepsEvidenceAndIsNotTheShadowFold()
    {
        var sanctioned = new SanctionedEndpoint("tools.corp.example", null, null, null, "approved tools server");

        var findings = Classify(sanctioned, [Resolved("tools.corp.example"), .. GatewayPaths("/", "tools.corp.example", 3 * PathLimit)]);

        var folded = findings.Single(f => f.Endpoint.Path!.Contains('*'));
        Assert.Multiple(() =>
        {
            Assert.That(folded.Verdict, Is.EqualTo(Verdict.Sanctioned));
            Assert.That(folded.Endpoint.Path, Is.Not.EqualTo("/*"));
            Assert.That(folded.Evidence.Single(e => e.Rule == "mcp-initialize-request").Count, Is.EqualTo(2 * PathLimit));
            Assert.That(findings.Select(f => f.Verdict), Is.All.EqualTo(Verdict.Sanctioned));
        });
    }

    [Test]
    public void Classify_ServerPastItsLimitClaimingSanctionedHostWithoutDns_FoldedIntoTheShadowFold()
    {
        // A shadow server whose clients send the sanctioned name as Host on many paths: no DNS answer vouches for it.
        var sanctioned = new SanctionedEndpoint("tools.corp.example", null, null, null, "approved tools server");

        var findings = Classify(sanctioned, GatewayPaths("/", "tools.corp.example", 3 * PathLimit));

        var folded = findings.Single(f => f.Endpoint.Path!.Contains('*'));
        Assert.Multiple(() =>
        {
            Assert.That(folded.Endpoint.Path, Is.EqualTo("/*"));
            // Never sanctioned; held at suspected while no DNS answer for the name says where it lives.
            Assert.That(findings.Select(f => f.Verdict), Is.All.EqualTo(Verdict.Suspected));
            Assert.That(findings.Select(f => f.VerdictReason), Is.All.Contains("'tools.corp.example'"));
        });
    }

    [Test]
    public void Add_FoldedHitsClaimingSanctionedNames_AllocateNoMoreThanWithEntries()
    {
        // The claimed name is checked against the address's DNS names on every folded hit: that must not add garbage.
        // Another client's lookup of another name gives the address DNS names to compare with.
        SanctionedEndpoint[] entries = [new("tools.corp.example", null, null, null, "host"), new("*.corp.example", null, null, null, "wildcard")];
        var otherName = Obs.Dns(Obs.Flow("10.0.0.9", 5353, "10.0.0.1", 53, "udp"), 0, "www.example", response: true, Server);

        Assert.That(AllocatedByPathFlood(entries, "tools.corp.example", otherName),
            Is.EqualTo(AllocatedByPathFlood([], "tools.corp.example", otherName)));
    }

    [Test]
    public void Add_FoldedHitsWithSanctionedEntries_AllocateNoMoreThanWithout()
    {
        // A path flood is when the fold path runs per observation: choosing between the folded endpoints must not add garbage.
        SanctionedEndpoint[] entries =
        [
            new("tools.corp.example", null, null, null, "host"), new("*.corp.example", null, null, null, "wildcard"),
            new(null, Server, Port, "/api/", "prefix"),
        ];
        var withEntries = AllocatedByPathFlood(entries);
        var without = AllocatedByPathFlood([]);

        Assert.That(withEntries, Is.EqualTo(without));
    }

    private static long AllocatedByPathFlood(SanctionedEndpoint[] sanctioned, string host = "rogue.example", Observation? first = null)
    {
        var aggregator = McpClassifier.Create(ShippedRules.RuleSet, new ClassifierOptions { MaxPathsPerServer = PathLimit, Sanctioned = sanctioned })
            .CreateAggregator();
        List<Observation> flood = [.. GatewayPaths("/flood/", host, 400)];
        if (first is not null) flood.Insert(0, first);
        foreach (var observation in flood.Take(200)) aggregator.Add(observation);
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var observation in flood.Skip(200)) aggregator.Add(observation);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
