using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

/// <summary>
/// Answers sent in a trusted resolver's name (a spoofed source address) to make a shadow server pass as the sanctioned
/// one. Where the capture sees the client's queries to the resolver, an answer for a sanctioned name vouches only when
/// it replies to a query seen (same flow, id and name) and is the only reply to it: an answer nobody asked for is
/// ignored, and two different answers to one query (the forger racing the resolver) leave the name vouched by neither,
/// whichever came first. Ignored answers are counted with the untrusted resolvers' ones.
/// </summary>
public sealed class ForgedResolverAnswerTests
{
    private const string SanctionedName = "mcp.corp.example";
    private const string Rogue = "10.66.0.9";
    private const string Real = "10.20.0.5";
    private const string Client = "10.0.0.7";
    private const string Resolver = "10.0.0.1";

    private static readonly SanctionedEndpoint ByName = new(SanctionedName, null, null, null, "the portal");
    private static readonly FlowRef Lookups = Obs.Flow(Client, 5353, Resolver, 53, "udp");

    private static (IReadOnlyList<Finding> Findings, ScanStats Stats) Classify(IEnumerable<Observation> observations)
    {
        var aggregator = McpClassifier.Create(ShippedRules.RuleSet, new ClassifierOptions { Sanctioned = [ByName] }).CreateAggregator();
        aggregator.AddRange(observations);
        var stats = new ScanStats();
        aggregator.CopyLimitsTo(stats);
        return (aggregator.Snapshot(), stats);
    }

    private static List<Observation> SessionTo(string server) =>
        [.. Sessions.StreamableHttp2025(Client, SanctionedName).Select(o => new Observation
        {
            Kind = o.Kind, Flow = o.Flow with { Server = server }, Time = o.Time, Fields = o.Fields, Source = o.Source, Basis = o.Basis,
        })];

    private static Observation Query(ushort id, string name, FlowRef? flow = null) => Obs.Dns(flow ?? Lookups, 0, id, name, response: false);

    private static Observation Answer(ushort id, string name, string address, FlowRef? flow = null) =>
        Obs.Dns(flow ?? Lookups, 0, id, name, response: true, address);

    // The client's ordinary lookups: the capture sees its queries to the resolver.
    private static IEnumerable<Observation> OrdinaryLookup() => [Query(1, "intranet.corp.example"), Answer(1, "intranet.corp.example", "10.0.0.80")];

    private static Finding At(IReadOnlyList<Finding> findings, string address) => findings.Single(f => f.Endpoint.Address == address);

    [Test]
    public void AnsweredQuery_Vouches_AndARetransmittedSameAnswerToo()
    {
        var (findings, stats) = Classify([.. OrdinaryLookup(), Query(7, SanctionedName), Answer(7, SanctionedName, Real),
            Answer(7, SanctionedName, Real), .. SessionTo(Real)]);

        Assert.That(At(findings, Real).Verdict, Is.EqualTo(Verdict.Sanctioned));
        Assert.That(stats.UntrustedResolverAnswers, Is.Zero);
    }

    [Test]
    public void AnswerNobodyAskedFor_DoesNotVouch_AndIsCounted()
    {
        // One forged packet: "mcp.corp.example is at the rogue address", from the resolver's address, id 4242 never asked.
        var (findings, stats) = Classify([.. OrdinaryLookup(), Answer(4242, SanctionedName, Rogue), .. SessionTo(Rogue)]);

        var f = At(findings, Rogue);
        Assert.Multiple(() =>
        {
            Assert.That(f.Verdict, Is.EqualTo(Verdict.Suspected), "as if no answer was seen: never sanctioned");
            Assert.That(f.VerdictReason, Does.Contain($"'{SanctionedName}'").And.Contain("no DNS answer"));
            Assert.That(f.Hosts, Does.Not.Contain(SanctionedName));
            Assert.That(stats.UntrustedResolverAnswers, Is.EqualTo(1));
        });
    }

    [Test]
    public void AnswerToAnotherQuery_DoesNotVouch()
    {
        // Asked for another name under that id, or for the name under another id: not an answer to a query for it.
        var (findings, _) = Classify([.. OrdinaryLookup(), Query(9, "www.corp.example"), Answer(9, SanctionedName, Rogue),
            Query(10, SanctionedName), Answer(11, SanctionedName, Rogue), .. SessionTo(Rogue)]);

        Assert.That(At(findings, Rogue).Verdict, Is.EqualTo(Verdict.Suspected));
    }

    [TestCase(true, TestName = "Race_ForgedAnswerFirst_NeitherVouches")]
    [TestCase(false, TestName = "Race_RealAnswerFirst_NeitherVouches")]
    public void TwoDifferentAnswersToOneQuery_NeitherVouches(bool forgedFirst)
    {
        Observation forged = Answer(7, SanctionedName, Rogue), real = Answer(7, SanctionedName, Real);
        List<Observation> observations =
            [.. OrdinaryLookup(), Query(7, SanctionedName), forgedFirst ? forged : real, forgedFirst ? real : forged, .. SessionTo(Rogue), .. SessionTo(Real)];

        var (findings, stats) = Classify(observations);

        Assert.Multiple(() =>
        {
            Assert.That(At(findings, Rogue).Verdict, Is.EqualTo(Verdict.Suspected), "the rogue server is not sanctioned");
            Assert.That(At(findings, Rogue).Hosts, Does.Not.Contain(SanctionedName));
            // The real server is not told apart either: held at suspected (not blocked as shadow) until an answer
            // nobody contradicts puts the name there again.
            Assert.That(At(findings, Real).Verdict, Is.EqualTo(Verdict.Suspected));
            Assert.That(stats.UntrustedResolverAnswers, Is.EqualTo(1));
        });
    }

    [Test]
    public void AfterARace_AnUncontestedAnswer_VouchesAgain()
    {
        var (findings, _) = Classify([.. OrdinaryLookup(), Query(7, SanctionedName), Answer(7, SanctionedName, Rogue), Answer(7, SanctionedName, Real),
            Query(8, SanctionedName), Answer(8, SanctionedName, Real), .. SessionTo(Real)]);

        Assert.That(At(findings, Real).Verdict, Is.EqualTo(Verdict.Sanctioned));
    }

    [Test]
    public void RetryOverTcpAfterATruncatedAnswer_IsAnotherFlow_NotASecondAnswer()
    {
        var tcp = Obs.Flow(Client, 40_001, Resolver, 53);
        var (findings, stats) = Classify([.. OrdinaryLookup(), Query(7, SanctionedName), Obs.Dns(Lookups, 0, 7, SanctionedName, response: true),
            Query(7, SanctionedName, tcp), Answer(7, SanctionedName, Real, tcp), .. SessionTo(Real)]);

        Assert.That(At(findings, Real).Verdict, Is.EqualTo(Verdict.Sanctioned));
        Assert.That(stats.UntrustedResolverAnswers, Is.Zero);
    }

    [Test]
    public void CaptureWithoutTheClientsQueries_AnswersCountAsBefore()
    {
        // One direction of a link, or a client whose queries the sensor does not see: answers cannot be paired, and a
        // sanctioned server must still be told apart (the limit this leaves is in docs/sensor-hardening.md).
        var (findings, _) = Classify([Answer(7, SanctionedName, Real), .. SessionTo(Real)]);

        Assert.That(At(findings, Real).Verdict, Is.EqualTo(Verdict.Sanctioned));
    }
}
