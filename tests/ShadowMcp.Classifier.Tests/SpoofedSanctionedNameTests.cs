using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

/// <summary>
/// Domain fronting against the sanctioned list: a shadow MCP server at any address whose clients send the sanctioned
/// name as Host header or SNI. Those names are the client's choice; only a DNS answer seen tying the name to the
/// server's address, or an entry that gives the address itself, vouches for it. A claimed but unvouched sanctioned
/// name is never sanctioned, is named in the reason and not listed as the finding's name (the Enforcer blocks a
/// finding's names, and must not block the sanctioned one). DNS answers that put the name elsewhere leave the verdict
/// to the evidence; with no answer for the name at all a shadow verdict is held at suspected (a sanctioned server whose
/// lookup was not captured looks the same, and must not be blocked as shadow).
/// </summary>
public sealed class SpoofedSanctionedNameTests
{
    private const string SanctionedName = "mcp.corp.example";
    private const string Rogue = "10.66.0.9";
    private const string Client = "10.0.0.7";

    private static readonly SanctionedEndpoint ByName = new(SanctionedName, null, null, null, "the portal");

    private static IReadOnlyList<Finding> Classify(IEnumerable<Observation> observations, params SanctionedEndpoint[] sanctioned) =>
        McpClassifier.Create(ShippedRules.RuleSet, new ClassifierOptions { Sanctioned = sanctioned }).Classify(observations);

    /// <summary>The 2025-06-18 Streamable HTTP session (shadow on its evidence) moved to <paramref name="server"/>.</summary>
    private static List<Observation> SessionTo(string server, string host, string client = Client) =>
        [.. Sessions.StreamableHttp2025(client, host).Select(o => new Observation
        {
            Kind = o.Kind, Flow = o.Flow with { Server = server }, Time = o.Time, Fields = o.Fields, Source = o.Source, Basis = o.Basis,
        })];

    // A DNS lookup of an "mcp." name is a finding of its own (filed by name); these tests are about the server's.
    private static bool AtRogue(Finding f) => f.Endpoint.Address == Rogue;

    private static Observation DnsAnswer(int second, string name, string address, string client = Client) =>
        Obs.Dns(Obs.Flow(client, 5353, "10.0.0.1", 53, "udp"), second, name, response: true, address);

    [Test]
    public void Classify_HostHeaderClaimsSanctionedNameWithoutDns_HeldAtSuspectedWithReasonAndNameNotListed()
    {
        var f = Classify(SessionTo(Rogue, SanctionedName), ByName).Single(AtRogue);

        Assert.Multiple(() =>
        {
            Assert.That(f.Verdict, Is.EqualTo(Verdict.Suspected), "never sanctioned; not shadow either while no DNS answer says where the name lives");
            Assert.That(f.VerdictReason, Does.Contain($"'{SanctionedName}'").And.Contain("no DNS answer").And.Contain(Rogue)
                .And.Contain("give the address in the sanctioned entry").And.Contain("held at suspected")
                .And.Contain("mcp-initialize-request"));
            Assert.That(f.Hosts, Does.Not.Contain(SanctionedName));
            Assert.That(f.Endpoint.Host, Is.Null);
        });
    }

    [Test]
    public void Classify_HostHeaderClaimsSanctionedNameThatDnsPutsElsewhere_NotSanctioned()
    {
        // The client did resolve the name, to the real server; its MCP traffic went to the rogue address anyway.
        List<Observation> observations = [DnsAnswer(0, SanctionedName, "10.0.0.50"), .. SessionTo(Rogue, SanctionedName)];

        var f = Classify(observations, ByName).Single(AtRogue);

        Assert.That(f.Verdict, Is.EqualTo(Verdict.Shadow));
        Assert.That(f.VerdictReason, Does.Contain("claims the sanctioned name").And.Contain("put it at other addresses"));
    }

    [Test]
    public void Classify_AnswersForOtherNamesOfTheAddress_DoNotUnvouchTheSanctionedName()
    {
        // A shared front end (or a flood) gives the address more names than it keeps; another client's answer for the
        // sanctioned name, seen after them, still puts the name there.
        var decoys = Enumerable.Range(0, 40).Select(i => DnsAnswer(0, $"decoy-{i}.example", Rogue, client: "10.0.0.98"));
        List<Observation> observations =
            [.. decoys, DnsAnswer(1, SanctionedName, Rogue, client: "10.0.0.99"), .. SessionTo(Rogue, SanctionedName)];

        Assert.That(Classify(observations, ByName).Single(AtRogue).Verdict, Is.EqualTo(Verdict.Sanctioned));
    }

    [Test]
    public void Classify_WildcardEntryClaimedByHostHeader_NotSanctioned()
    {
        var wildcard = new SanctionedEndpoint("*.corp.example", null, null, null, "corp services");

        var f = Classify(SessionTo(Rogue, "tools.corp.example"), wildcard).Single(AtRogue);

        Assert.That(f.Verdict, Is.EqualTo(Verdict.Suspected));
        Assert.That(f.VerdictReason, Does.Contain("'tools.corp.example' ('corp services')"));
    }

    [Test]
    public void Classify_ClaimedNameOfEntryForAnotherPort_NameStillNotListed()
    {
        // The entry is for the portal's port 443; the shadow server listens on 8123. Listed as its name, the
        // sanctioned name would be blocked by name, which the Enforcer refuses for the whole plan.
        var onPort443 = new SanctionedEndpoint(SanctionedName, null, 443, null, "the portal");

        var f = Classify(SessionTo(Rogue, SanctionedName), onPort443).Single(AtRogue);

        Assert.That(f.Verdict, Is.EqualTo(Verdict.Suspected));
        Assert.That(f.Hosts, Does.Not.Contain(SanctionedName));
        Assert.That(f.VerdictReason, Does.Contain($"'{SanctionedName}' ('the portal')"));
    }

    [Test]
    public void Classify_SniOnlyClaimsSanctionedName_SuspectedOnItsShapeEvidence()
    {
        var flow = Obs.Flow(Client, 50_000, Rogue, 443);
        List<Observation> observations = [Obs.Tls(flow, 0, SanctionedName), Shape(flow, 30, SanctionedName, "one")];

        var f = Classify(observations, ByName).Single(AtRogue);

        Assert.Multiple(() =>
        {
            Assert.That(f.Verdict, Is.EqualTo(Verdict.Suspected), "one shaped session is weak evidence");
            Assert.That(f.VerdictReason, Does.Contain($"'{SanctionedName}'").And.Contain("no DNS answer"));
            Assert.That(f.Hosts, Does.Not.Contain(SanctionedName));
        });
    }

    [Test]
    public void Classify_SniOnlyClaimsSanctionedNameFromSeveralClients_ShadowWhenDnsPutsItElsewhere()
    {
        var flow = Obs.Flow(Client, 50_000, Rogue, 443);
        List<Observation> observations = [Obs.Tls(flow, 0, SanctionedName), Shape(flow, 30, SanctionedName, "several")];
        List<Observation> answered = [DnsAnswer(0, SanctionedName, "10.0.0.50", client: "10.0.0.99"), .. observations];

        Assert.That(Classify(observations, ByName).Single(AtRogue).Verdict, Is.EqualTo(Verdict.Suspected), "no DNS answer for the name");
        Assert.That(Classify(answered, ByName).Single(AtRogue).Verdict, Is.EqualTo(Verdict.Shadow));
    }

    [Test]
    public void Classify_HostHeaderNameTiedByDnsAnswerToTheClient_Sanctioned()
    {
        List<Observation> observations = [DnsAnswer(0, SanctionedName, Rogue), .. SessionTo(Rogue, SanctionedName)];

        var f = Classify(observations, ByName).Single(AtRogue);

        Assert.That(f.Verdict, Is.EqualTo(Verdict.Sanctioned));
        Assert.That(f.Hosts, Does.Contain(SanctionedName));
    }

    [Test]
    public void Classify_HostHeaderNameResolvedToTheAddressForAnotherClient_Sanctioned()
    {
        // A DNS answer seen in the capture puts the name at that address, even if this client's lookup was cached.
        List<Observation> observations = [DnsAnswer(0, SanctionedName, Rogue, client: "10.0.0.99"), .. SessionTo(Rogue, SanctionedName)];

        Assert.That(Classify(observations, ByName).Single(AtRogue).Verdict, Is.EqualTo(Verdict.Sanctioned));
    }

    [Test]
    public void Classify_HostHeaderNameResolvedThroughCnameChain_Sanctioned()
    {
        // mcp.corp.example is a CNAME for a CDN edge name whose A record is the address; answered to another client.
        var answer = new FieldBag().Add("name", SanctionedName).Add("type", "A").Add("response", "true").Add("rcode", "NOERROR")
            .Add("answer", Rogue).Add("answer.name", "edge.cdn.example");
        Observation dns = new()
        {
            Kind = ObservationKinds.Dns, Flow = Obs.Flow("10.0.0.99", 5353, "10.0.0.1", 53, "udp"), Time = Obs.T0, Fields = answer, Source = "test",
        };

        var f = Classify([dns, .. SessionTo(Rogue, SanctionedName)], ByName).Single(AtRogue);

        Assert.That(f.Verdict, Is.EqualTo(Verdict.Sanctioned));
        Assert.That(f.AddressNames, Is.EqualTo(new[] { "edge.cdn.example" }));
    }

    [Test]
    public void Classify_SniTiedByDnsAnswer_Sanctioned()
    {
        var flow = Obs.Flow(Client, 50_000, Rogue, 443);
        List<Observation> observations = [DnsAnswer(0, SanctionedName, Rogue), Obs.Tls(flow, 1, SanctionedName), Shape(flow, 30, SanctionedName, "several")];

        var f = Classify(observations, ByName).Single(AtRogue);

        Assert.That(f.Verdict, Is.EqualTo(Verdict.Sanctioned));
    }

    [Test]
    public void Classify_EntryGivesTheAddress_SanctionedWithoutDns()
    {
        var withAddress = new SanctionedEndpoint(SanctionedName, Rogue, null, null, "the portal");

        var f = Classify(SessionTo(Rogue, SanctionedName), withAddress).Single(AtRogue);

        Assert.That(f.Verdict, Is.EqualTo(Verdict.Sanctioned));
        Assert.That(f.Hosts, Does.Contain(SanctionedName));
    }

    [Test]
    public void Classify_HostOnlyEndpointOfTheSanctionedName_StillSanctioned()
    {
        // A finding about the name itself (DNS and SNI evidence filed by name) is the sanctioned name, wherever it resolves.
        var notion = new SanctionedEndpoint("mcp.notion.com", null, null, null, "approved vendor");

        var f = Classify(Sessions.NotionDnsTls(), notion).Single();

        Assert.That(f.Endpoint.Address, Is.Null);
        Assert.That(f.Verdict, Is.EqualTo(Verdict.Sanctioned));
    }

    [Test]
    public void Rejudge_ReportedFindingWithVouchedSanctionedName_Sanctioned()
    {
        var classifier = McpClassifier.Create(ShippedRules.RuleSet, new ClassifierOptions { Sanctioned = [ByName] });
        var reported = Classify([DnsAnswer(0, SanctionedName, Rogue), .. SessionTo(Rogue, SanctionedName)]).Single(AtRogue);
        var spoofed = Classify(SessionTo(Rogue, SanctionedName), ByName).Single(AtRogue);

        classifier.Rejudge(reported);
        classifier.Rejudge(spoofed);

        Assert.That(reported.Verdict, Is.EqualTo(Verdict.Sanctioned));
        Assert.That(spoofed.ClaimedNames, Is.EqualTo(new[] { SanctionedName }), "the sensor carries the claim it held the finding for");
        Assert.That(spoofed.Verdict, Is.EqualTo(Verdict.Suspected),
            "held at the centre too: it may be the sanctioned server seen without its lookup, and shadow would block it");
        Assert.That(spoofed.VerdictReason, Does.Contain("held at suspected"));
    }

    [Test]
    public void Rejudge_ClaimedNameTheCentreDoesNotSanction_Shadow()
    {
        // A sensor holding for a name this centre's list does not give cannot keep a shadow server from being shadow.
        var spoofed = Classify(SessionTo(Rogue, SanctionedName), ByName).Single(AtRogue);
        var centre = McpClassifier.Create(ShippedRules.RuleSet, new ClassifierOptions { Sanctioned = [new("other.corp.example", null, null, null, "x")] });

        centre.Rejudge(spoofed);

        Assert.That(spoofed.Verdict, Is.EqualTo(Verdict.Shadow));
    }

    [Test]
    public void Classify_ClaimThatDnsPutsElsewhere_CarriesNoClaimForTheCentre()
    {
        List<Observation> observations = [DnsAnswer(0, SanctionedName, "10.0.0.50"), .. SessionTo(Rogue, SanctionedName)];

        var f = Classify(observations, ByName).Single(AtRogue);

        Assert.That(f.ClaimedNames, Is.Empty, "DNS showed the claim false: nothing to hold");
    }

    private static Observation Shape(FlowRef flow, int second, string sni, string clients) => new()
    {
        Kind = ObservationKinds.TlsShape,
        Flow = flow,
        Time = Obs.T0.AddSeconds(second),
        Fields = new FieldBag().Add("score", "0.930").Add("clients", clients).Add("sni", sni),
        Source = "test",
    };
}
