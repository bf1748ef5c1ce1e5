using System.Net;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

/// <summary>
/// A DNS answer vouches that a sanctioned name lives at an address only when a trusted resolver gave it. Whoever runs
/// their own resolver (or sends answers in its name to their own machine) could otherwise place the sanctioned name at
/// their shadow server and have its MCP traffic judged sanctioned. With <see cref="ClassifierOptions.TrustedResolvers"/>
/// set, such answers are ignored for sanctioned names, counted, and still name other addresses as before.
/// </summary>
public sealed class UntrustedResolverTests
{
    private const string SanctionedName = "mcp.corp.example";
    private const string Rogue = "10.66.0.9";
    private const string Client = "10.0.0.7";
    private const string CompanyResolver = "10.0.0.1";
    private const string RogueResolver = "10.66.0.53";

    private static readonly SanctionedEndpoint ByName = new(SanctionedName, null, null, null, "the portal");
    private static readonly IPNetwork[] Company = [IPNetwork.Parse("10.0.0.0/30")];

    private static (IReadOnlyList<Finding> Findings, ScanStats Stats) Classify(IEnumerable<Observation> observations, IPNetwork[] trusted)
    {
        var classifier = McpClassifier.Create(ShippedRules.RuleSet, new ClassifierOptions { Sanctioned = [ByName], TrustedResolvers = trusted });
        var aggregator = classifier.CreateAggregator();
        aggregator.AddRange(observations);
        var stats = new ScanStats();
        aggregator.CopyLimitsTo(stats);
        return (aggregator.Snapshot(), stats);
    }

    private static List<Observation> SessionTo(string server, string host) =>
        [.. Sessions.StreamableHttp2025(Client, host).Select(o => new Observation
        {
            Kind = o.Kind, Flow = o.Flow with { Server = server }, Time = o.Time, Fields = o.Fields, Source = o.Source, Basis = o.Basis,
        })];

    private static Observation Answer(string resolver, string name, string address) =>
        Obs.Dns(Obs.Flow(Client, 5353, resolver, 53, "udp"), 0, name, response: true, address);

    private static Finding AtRogue(IReadOnlyList<Finding> findings) => findings.Single(f => f.Endpoint.Address == Rogue);

    [Test]
    public void Classify_SanctionedNameAnsweredByAnUntrustedResolver_NotSanctionedAndCounted()
    {
        var (findings, stats) = Classify([Answer(RogueResolver, SanctionedName, Rogue), .. SessionTo(Rogue, SanctionedName)], Company);

        var f = AtRogue(findings);
        Assert.Multiple(() =>
        {
            Assert.That(f.Verdict, Is.EqualTo(Verdict.Suspected), "as if no answer was seen: never sanctioned, held at suspected");
            Assert.That(f.VerdictReason, Does.Contain("no DNS answer"));
            Assert.That(f.Hosts, Does.Not.Contain(SanctionedName));
            Assert.That(stats.UntrustedResolverAnswers, Is.EqualTo(1));
        });
    }

    [Test]
    public void Classify_UntrustedAnswerBesideATrustedOneElsewhere_Shadow()
    {
        // The company's resolver puts the name at the real server; the rogue resolver's answer does not count.
        var (findings, _) = Classify(
            [Answer(CompanyResolver, SanctionedName, "10.0.0.50"), Answer(RogueResolver, SanctionedName, Rogue), .. SessionTo(Rogue, SanctionedName)],
            Company);

        Assert.That(AtRogue(findings).Verdict, Is.EqualTo(Verdict.Shadow));
    }

    [Test]
    public void Classify_SameAnswerFromATrustedResolver_Sanctioned()
    {
        var (findings, stats) = Classify([Answer(CompanyResolver, SanctionedName, Rogue), .. SessionTo(Rogue, SanctionedName)], Company);

        Assert.That(AtRogue(findings).Verdict, Is.EqualTo(Verdict.Sanctioned));
        Assert.That(stats.UntrustedResolverAnswers, Is.Zero);
    }

    [Test]
    public void Classify_NoTrustedResolversConfigured_EveryResolverVouches()
    {
        var (findings, _) = Classify([Answer(RogueResolver, SanctionedName, Rogue), .. SessionTo(Rogue, SanctionedName)], []);

        Assert.That(AtRogue(findings).Verdict, Is.EqualTo(Verdict.Sanctioned), "the documented default: set trustedResolvers in production");
    }

    [Test]
    public void Classify_OtherNamesFromAnUntrustedResolver_StillNameTheShadowServer()
    {
        var (findings, stats) = Classify([Answer(RogueResolver, "tools.rogue.example", Rogue), .. SessionTo(Rogue, "tools.rogue.example")], Company);

        var f = AtRogue(findings);
        Assert.That(f.Verdict, Is.EqualTo(Verdict.Shadow));
        Assert.That(f.Hosts, Does.Contain("tools.rogue.example"));
        Assert.That(stats.UntrustedResolverAnswers, Is.Zero);
    }

    [TestCase("::ffff:10.0.0.1", true, TestName = "Classify_ResolverAsIPv4MappedAddress_MatchesItsIPv4Network")]
    [TestCase("2001:db8:53::1", true, TestName = "Classify_IPv6ResolverInATrustedNetwork_Vouches")]
    [TestCase("2001:db8:66::53", false, TestName = "Classify_IPv6ResolverOutsideTheTrustedNetworks_DoesNotVouch")]
    public void Classify_ResolverAddressFamilies(string resolver, bool vouches)
    {
        IPNetwork[] trusted = [.. Company, IPNetwork.Parse("2001:db8:53::/64")];
        var answer = Obs.Dns(Obs.Flow("2001:db8::7", 5353, resolver, 53, "udp"), 0, SanctionedName, response: true, Rogue);

        var (findings, stats) = Classify([answer, .. SessionTo(Rogue, SanctionedName)], trusted);

        Assert.That(AtRogue(findings).Verdict, vouches ? Is.EqualTo(Verdict.Sanctioned) : Is.Not.EqualTo(Verdict.Sanctioned));
        Assert.That(stats.UntrustedResolverAnswers, Is.EqualTo(vouches ? 0 : 1));
    }

    [Test]
    public void Classify_CnameChainEndingAtTheSanctionedNameFromAnUntrustedResolver_DoesNotVouch()
    {
        // The question is the rogue's own name; the chain's last owner is the sanctioned one, placed at the rogue server.
        var fields = new FieldBag().Add("name", "alias.rogue.example").Add("type", "A").Add("response", "true").Add("rcode", "NOERROR")
            .Add("answer", SanctionedName).Add("answer.name", "alias.rogue.example")
            .Add("answer", Rogue).Add("answer.name", SanctionedName);
        var answer = new Observation
        {
            Kind = ObservationKinds.Dns, Flow = Obs.Flow(Client, 5353, RogueResolver, 53, "udp"), Time = Obs.T0, Fields = fields, Source = "test",
        };

        var (findings, stats) = Classify([answer, .. SessionTo(Rogue, SanctionedName)], Company);

        var f = AtRogue(findings);
        Assert.That(f.Verdict, Is.Not.EqualTo(Verdict.Sanctioned));
        Assert.That(f.Hosts, Does.Not.Contain(SanctionedName));
        Assert.That(stats.UntrustedResolverAnswers, Is.EqualTo(1));
    }

    [Test]
    public void Classify_TrustedNetworkWrittenAsIPv4MappedIPv6_MatchesTheIPv4Resolver()
    {
        var (findings, stats) = Classify([Answer(CompanyResolver, SanctionedName, Rogue), .. SessionTo(Rogue, SanctionedName)],
            [IPNetwork.Parse("::ffff:10.0.0.0/126")]);

        Assert.That(AtRogue(findings).Verdict, Is.EqualTo(Verdict.Sanctioned), "::ffff:10.0.0.0/126 is 10.0.0.0/30");
        Assert.That(stats.UntrustedResolverAnswers, Is.Zero);
    }
}
