using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

/// <summary>
/// Names tied to flows (SNI, a DNS answer to the same client) over a run longer than the aggregator's tables: a sensor
/// that has seen more TLS flows or DNS answers than it remembers must still name the flows that come after them, so
/// nobody can blind it by opening many connections first. Small table sizes keep the tests fast.
/// </summary>
public sealed class LongRunNamesTests
{
    private const int Remembered = 8;

    private static readonly ClassifierOptions SmallTables = new() { MaxKnownAddresses = Remembered, MaxRecentTlsFlows = Remembered };

    private static Finding FindingAt(IEnumerable<Observation> observations, string address) =>
        McpClassifier.Create(ShippedRules.RuleSet, SmallTables).Classify(observations).Single(f => f.Endpoint.Address == address);

    /// <summary>ClientHellos of many other TLS flows, as a busy network (or an attacker) sends them.</summary>
    private static IEnumerable<Observation> OtherTlsFlows(int count) =>
        Enumerable.Range(0, count).Select(i => Obs.Tls(Obs.Flow("10.0.0.9", 40_000 + i, "192.0.2.1", 443), 0, $"site{i}.example"));

    [Test]
    public void Classify_MoreTlsFlowsThanRemembered_LaterDecryptedFlowKeepsItsSni()
    {
        List<Observation> observations = [.. OtherTlsFlows(5 * Remembered)];
        // The session's Host header is the address, so only the ClientHello names the server.
        var session = Sessions.StreamableHttp2025(host: "10.0.0.5");
        foreach (var flow in session.Select(o => o.Flow).Distinct())
            observations.Add(Obs.Tls(flow, 0, "shadow.example"));
        observations.AddRange(session);

        var f = FindingAt(observations, "10.0.0.5");

        Assert.That(f.Hosts, Is.EqualTo(new[] { "shadow.example" }));
        Assert.That(f.Endpoint.Host, Is.EqualTo("shadow.example"));
    }

    [Test]
    public void Classify_ShapeObservationLongAfterItsClientHello_NamedByTheSniItCarries()
    {
        // A file scan emits tls.shape at the file's end, after every later flow's ClientHello.
        var flow = Obs.Flow("10.0.0.7", 50_001, "10.0.0.5", 443);
        List<Observation> observations = [Obs.Tls(flow, 0, "shadow.example"), .. OtherTlsFlows(5 * Remembered), Shape(flow, 1, "shadow.example")];

        var f = FindingAt(observations, "10.0.0.5");

        Assert.That(f.Evidence.Select(e => e.Rule), Does.Contain("mcp-shape-session"));
        Assert.That(f.Hosts, Is.EqualTo(new[] { "shadow.example" }));
    }

    [Test]
    public void Classify_MoreDnsAnswersThanRemembered_LaterAnswerStillTiesItsFlows()
    {
        var resolver = Obs.Flow("10.0.0.9", 5353, "10.0.0.1", 53, "udp");
        List<Observation> observations =
        [
            .. Enumerable.Range(0, 5 * Remembered).Select(i => Obs.Dns(resolver, 0, $"site{i}.example", response: true, $"192.0.2.{i + 1}")),
            Obs.Dns(Obs.Flow("10.0.0.7", 5353, "10.0.0.1", 53, "udp"), 0, "shadow.example", response: true, "10.0.0.5"),
        ];
        observations.AddRange(Sessions.StreamableHttp2025(host: "10.0.0.5"));

        var f = FindingAt(observations, "10.0.0.5");

        Assert.That(f.Hosts, Is.EqualTo(new[] { "shadow.example" }));
        Assert.That(f.Endpoint.Host, Is.EqualTo("shadow.example"));
    }

    [Test]
    public void Classify_MoreAddressesResolvedThanRemembered_LaterServerKeepsItsDnsName()
    {
        // A flood of DNS answers, each for its own address, then the real server's name resolved by another host on
        // the network: the name only resolved to the address, so it is the finding's only way to be named.
        List<Observation> observations =
        [
            .. FloodOfAddresses(5 * Remembered),
            Obs.Dns(Obs.Flow("10.0.0.8", 5353, "10.0.0.1", 53, "udp"), 0, "shadow.example", response: true, "10.0.0.5"),
        ];
        observations.AddRange(Sessions.StreamableHttp2025(host: "10.0.0.5"));

        var f = FindingAt(observations, "10.0.0.5");

        Assert.That(f.Verdict, Is.EqualTo(Verdict.Shadow));
        Assert.That(f.AddressNames, Is.EqualTo(new[] { "shadow.example" }));
    }

    [Test]
    public void Classify_MoreAddressesResolvedThanRemembered_LaterServerNamedByItsClientsAnswer()
    {
        List<Observation> observations =
        [
            .. FloodOfAddresses(5 * Remembered),
            Obs.Dns(Obs.Flow("10.0.0.7", 5353, "10.0.0.1", 53, "udp"), 0, "shadow.example", response: true, "10.0.0.5"),
        ];
        observations.AddRange(Sessions.StreamableHttp2025(host: "10.0.0.5"));

        var f = FindingAt(observations, "10.0.0.5");

        Assert.That(f.Endpoint.Host, Is.EqualTo("shadow.example"));
        Assert.That(f.Hosts, Is.EqualTo(new[] { "shadow.example" }));
    }

    [Test]
    public void Add_MoreAddressesResolvedThanRemembered_OldestForgottenAndCounted()
    {
        var aggregator = McpClassifier.Create(ShippedRules.RuleSet, SmallTables).CreateAggregator();
        aggregator.AddRange(FloodOfAddresses(5 * Remembered));

        // Two generations of half the capacity: all but the last one to three generations' worth were given up.
        Assert.That(aggregator.AddressesForgotten, Is.InRange(5 * Remembered - Remembered, 5 * Remembered - Remembered / 2));
    }

    // DNS answers from one resolver client, each naming its own address (192.0.2.x), as a flood of lookups sends them.
    private static IEnumerable<Observation> FloodOfAddresses(int count) =>
        Enumerable.Range(0, count).Select(i =>
            Obs.Dns(Obs.Flow("10.0.0.9", 5353, "10.0.0.1", 53, "udp"), 0, $"site{i}.example", response: true, $"192.0.2.{i + 1}"));

    private static Observation Shape(FlowRef flow, int second, string sni) => new()
    {
        Kind = ObservationKinds.TlsShape,
        Flow = flow,
        Time = Obs.T0.AddSeconds(second),
        Fields = new FieldBag().Add("score", "0.930").Add("clients", "one").Add("sni", sni),
        Source = "test",
    };
}
