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

    private static Observation Answer(ushort id, string name, params string[] addresses) =>
        Obs.Dns(Lookups, 0, id, name, response: true, addresses);

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

    [Test]
    public void Race_ForgedAnswerSentAgainAfterTheRealOne_StillVouchesForNeither()
    {
        // The forger answers first, the resolver contradicts it, then the forger repeats its answer word for word: a
        // contested query stays contested, a repeat of one side is no retransmission of the only reply.
        var (findings, _) = Classify([.. OrdinaryLookup(), Query(7, SanctionedName), Answer(7, SanctionedName, Rogue),
            Answer(7, SanctionedName, Real), Answer(7, SanctionedName, Rogue), .. SessionTo(Rogue)]);

        Assert.That(At(findings, Rogue).Verdict, Is.EqualTo(Verdict.Suspected));
        Assert.That(At(findings, Rogue).Hosts, Does.Not.Contain(SanctionedName));
    }

    [TestCase(true, TestName = "SecondAnswerToAQueryForAnotherName_WithARecordForTheSanctionedName_DoesNotVouch_ForgedFirst")]
    [TestCase(false, TestName = "SecondAnswerToAQueryForAnotherName_WithARecordForTheSanctionedName_DoesNotVouch_ForgedSecond")]
    public void SecondAnswerToAQueryForAnotherName_WithARecordForTheSanctionedName_DoesNotVouch(bool forgedFirst)
    {
        // The client asked for intranet.corp.example (id 1); the forger answers that query too, adding a record that puts
        // the sanctioned name at its own address. The resolver's answer never named the sanctioned host.
        Observation real = Answer(1, "intranet.corp.example", "10.0.0.80");
        var forged = new Observation
        {
            Kind = real.Kind, Flow = real.Flow, Time = real.Time, Source = real.Source, Basis = real.Basis,
            Fields = new FieldBag().Add("id", "1").Add("name", "intranet.corp.example").Add("type", "A").Add("response", "true")
                .Add("rcode", "NOERROR").Add("answer", "10.0.0.80").Add("answer.name", "intranet.corp.example")
                .Add("answer", Rogue).Add("answer.name", SanctionedName),
        };
        var (findings, _) = Classify([Query(1, "intranet.corp.example"), forgedFirst ? forged : real, forgedFirst ? real : forged, .. SessionTo(Rogue)]);

        Assert.That(At(findings, Rogue).Verdict, Is.EqualTo(Verdict.Suspected));
        Assert.That(At(findings, Rogue).Hosts, Does.Not.Contain(SanctionedName));
    }

    [TestCase("10.0.0.99", Resolver, TestName = "AnswerToAHostWhoseQueriesAreNotSeen_DoesNotVouch_OtherClient")]
    [TestCase(Client, "10.0.0.2", TestName = "AnswerToAHostWhoseQueriesAreNotSeen_DoesNotVouch_OtherResolverAddress")]
    public void AnswerToAHostWhoseQueriesAreNotSeen_DoesNotVouch(string to, string from)
    {
        // The capture sees queries (it is not one direction of a link); the forger sends its unasked answer to another
        // host, or in the name of another resolver address nobody queries. What an answer vouches is not per client.
        var (findings, stats) = Classify([.. OrdinaryLookup(), Answer(4242, SanctionedName, Rogue, Obs.Flow(to, 5353, from, 53, "udp")),
            .. SessionTo(Rogue)]);

        Assert.That(At(findings, Rogue).Verdict, Is.EqualTo(Verdict.Suspected));
        Assert.That(stats.UntrustedResolverAnswers, Is.EqualTo(1));
    }

    [Test]
    public void RetriedQuery_AnsweredWithTheSameAddressesRotated_IsTheSameWord()
    {
        // A stub resolver retries a query with the same id from the same socket; a resolver that rotates a set of
        // addresses answers each copy with them in another order. The sanctioned server is not held at suspected.
        var (findings, stats) = Classify([.. OrdinaryLookup(), Query(7, SanctionedName), Query(7, SanctionedName),
            Answer(7, SanctionedName, Real, "10.20.0.6"), Answer(7, SanctionedName, "10.20.0.6", Real), .. SessionTo(Real)]);

        Assert.That(At(findings, Real).Verdict, Is.EqualTo(Verdict.Sanctioned));
        Assert.That(stats.UntrustedResolverAnswers, Is.Zero);
    }

    [Test]
    public void Race_ClientUsesTheForgedAnswerBeforeTheRealOneArrives_NotSanctioned()
    {
        // The forger is nearer than the resolver: its answer comes first, the client connects to the rogue server at
        // once, and the resolver's answer arrives after that session's first messages.
        var (findings, stats) = Classify([.. OrdinaryLookup(), Query(7, SanctionedName), Answer(7, SanctionedName, Rogue),
            .. SessionTo(Rogue), Answer(7, SanctionedName, Real)]);

        Assert.That(At(findings, Rogue).Verdict, Is.EqualTo(Verdict.Suspected));
        Assert.That(stats.UntrustedResolverAnswers, Is.EqualTo(1));
    }

    [Test]
    public void Race_AfterTheNameResolvedToSeveralAddresses_TheRealServerIsNeverShadow()
    {
        // Earlier answers put the name at two addresses of the real service; the forger then contradicts one answer
        // that gave only the first. Taking back that answer must not leave the name "resolved elsewhere" for it.
        const string RealToo = "10.20.0.6";
        var (findings, _) = Classify([.. OrdinaryLookup(), Query(5, SanctionedName), Answer(5, SanctionedName, Real, RealToo),
            Query(7, SanctionedName), Answer(7, SanctionedName, Real), Answer(7, SanctionedName, Rogue), .. SessionTo(Real)]);

        Assert.That(At(findings, Real).Verdict, Is.Not.EqualTo(Verdict.Shadow), "the sanctioned server would be blocked");
    }

    [Test]
    public void AAndAaaaQueriesSharingAnId_AreTwoQueries_NotARace()
    {
        static Observation WithType(Observation o, string type)
        {
            var fields = new FieldBag();
            foreach (var kv in o.Fields.AsSpan()) fields.Add(kv.Key, kv.Key == "type" ? type : kv.Value);
            return new Observation { Kind = o.Kind, Flow = o.Flow, Time = o.Time, Fields = fields, Source = o.Source, Basis = o.Basis };
        }
        var (findings, stats) = Classify([.. OrdinaryLookup(), Query(7, SanctionedName), WithType(Query(7, SanctionedName), "AAAA"),
            Answer(7, SanctionedName, Real), WithType(Answer(7, SanctionedName, "fd00::5"), "AAAA"), .. SessionTo(Real)]);

        Assert.That(At(findings, Real).Verdict, Is.EqualTo(Verdict.Sanctioned));
        Assert.That(stats.UntrustedResolverAnswers, Is.Zero);
    }
}
