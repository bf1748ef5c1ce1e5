using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

/// <summary>
/// A front end shared by many names (a CDN, an API gateway) serves a sanctioned MCP server and a shadow one on the same
/// address, port and path. Findings are filed by address, port and path, so both servers' flows land in one finding;
/// a name-only sanctioned entry matched by the sanctioned name's DNS answer sanctioned it all, and the shadow server's
/// traffic hid in it. Now a name the flows themselves carried (Host header, SNI) that no entry gives, and that a
/// sanctioned name does not point to (its CNAME chain), keeps the finding from being sanctioned; the sanctioned name
/// moves to the address's names so the Enforcer knows the address is the sanctioned one's. Names DNS answers merely
/// tied to the address (other sites on the CDN that the client resolved) do not count.
/// </summary>
public sealed class SharedFrontEndTests
{
    private const string Cdn = "104.16.0.9";
    private const string SanctionedName = "mcp.corp.example";
    private const string ShadowName = "tools.rogue.example";
    private static readonly SanctionedEndpoint ByName = new(SanctionedName, null, null, null, "the portal");

    private static IReadOnlyList<Finding> Classify(IEnumerable<Observation> observations) =>
        McpClassifier.Create(ShippedRules.RuleSet, new ClassifierOptions { Sanctioned = [ByName] }).Classify(observations);

    private static List<Observation> SessionTo(string host, string client) =>
        [.. Sessions.StreamableHttp2025(client, host).Select(o => new Observation
        {
            Kind = o.Kind, Flow = o.Flow with { Server = Cdn }, Time = o.Time, Fields = o.Fields, Source = o.Source, Basis = o.Basis,
        })];

    private static Observation Answer(string client, string name, string address = Cdn, string? owner = null)
    {
        var fields = new FieldBag().Add("name", name).Add("type", "A").Add("response", "true").Add("rcode", "NOERROR")
            .Add("answer", address).Add("answer.name", owner ?? name);
        return new Observation
        {
            Kind = ObservationKinds.Dns, Flow = Obs.Flow(client, 5353, "10.0.0.1", 53, "udp"), Time = Obs.T0, Fields = fields, Source = "test",
        };
    }

    private static Finding AtCdn(IReadOnlyList<Finding> findings) => findings.Single(f => f.Endpoint.Address == Cdn);

    [Test]
    public void Classify_ShadowServerBehindTheSanctionedOnesFrontEnd_NotSanctioned()
    {
        List<Observation> observations =
        [
            Answer("10.0.0.7", SanctionedName), Answer("10.0.0.8", ShadowName),
            .. SessionTo(SanctionedName, "10.0.0.7"), .. SessionTo(ShadowName, "10.0.0.8"),
        ];

        var f = AtCdn(Classify(observations));

        Assert.Multiple(() =>
        {
            Assert.That(f.Verdict, Is.EqualTo(Verdict.Shadow), "the shadow server's MCP session is evidence of its own");
            Assert.That(f.VerdictReason, Does.Contain($"'{SanctionedName}'").And.Contain($"'{ShadowName}'").And.Contain("front end shared"));
            Assert.That(f.Hosts, Does.Contain(ShadowName).And.Not.Contain(SanctionedName), "the Enforcer must not block the sanctioned name");
            Assert.That(f.AddressNames, Does.Contain(SanctionedName), "so the Enforcer knows the address serves the sanctioned server");
        });
    }

    [Test]
    public void Classify_OnlyTheSanctionedServerOnTheFrontEnd_Sanctioned()
    {
        var f = AtCdn(Classify([Answer("10.0.0.7", SanctionedName), .. SessionTo(SanctionedName, "10.0.0.7")]));

        Assert.That(f.Verdict, Is.EqualTo(Verdict.Sanctioned));
    }

    [TestCase("MCP.corp.example.")]
    [TestCase("mcp.corp.example:443")]
    public void Classify_SanctionedNameWrittenWithCaseDotOrPort_StillSanctioned(string hostHeader)
    {
        var f = AtCdn(Classify([Answer("10.0.0.7", SanctionedName), .. SessionTo(SanctionedName, "10.0.0.7"), .. SessionTo(hostHeader, "10.0.0.8")]));

        Assert.That(f.Verdict, Is.EqualTo(Verdict.Sanctioned), "the same name, written otherwise, is not another server");
    }

    [Test]
    public void Classify_OtherSitesOfTheFrontEndResolvedByTheSameClient_StillSanctioned()
    {
        // The client browsed other sites on the CDN: DNS ties their names to the address, but the flows said the sanctioned name.
        List<Observation> observations =
        [
            Answer("10.0.0.7", SanctionedName), Answer("10.0.0.7", "www.news.example"), Answer("10.0.0.7", "cdn.shop.example"),
            .. SessionTo(SanctionedName, "10.0.0.7"),
        ];

        Assert.That(AtCdn(Classify(observations)).Verdict, Is.EqualTo(Verdict.Sanctioned));
    }

    [Test]
    public void Classify_NameTheSanctionedOnePointsTo_StillSanctioned()
    {
        // The sanctioned name is a CNAME for the front end's name for it; some clients are configured with that name.
        const string edgeName = "corp-mcp.edge.cdn.example";
        List<Observation> observations =
        [
            Chain("10.0.0.7", SanctionedName, (SanctionedName, edgeName), (edgeName, Cdn)),
            .. SessionTo(SanctionedName, "10.0.0.7"), .. SessionTo(edgeName, "10.0.0.8"),
        ];

        Assert.That(AtCdn(Classify(observations)).Verdict, Is.EqualTo(Verdict.Sanctioned));
    }

    [Test]
    public void Classify_CnameAliasOfTheSanctionedNameInItsOwnZone_StillSanctioned()
    {
        // agents.corp.example is a CNAME for the sanctioned name; clients use either. Only corp.example's owner makes names there.
        List<Observation> observations =
        [
            Answer("10.0.0.7", SanctionedName),
            Chain("10.0.0.8", "agents.corp.example", ("agents.corp.example", SanctionedName), (SanctionedName, Cdn)),
            .. SessionTo(SanctionedName, "10.0.0.7"), .. SessionTo("agents.corp.example", "10.0.0.8"),
        ];

        Assert.That(AtCdn(Classify(observations)).Verdict, Is.EqualTo(Verdict.Sanctioned));
    }

    [Test]
    public void Classify_ForeignNameMadeACnameForTheSanctionedName_NotSanctioned()
    {
        // Anyone can point their own name at the sanctioned one (one lookup through the company's resolver shows the
        // chain); the front end routes by Host, so the shadow server is still another server.
        List<Observation> observations =
        [
            Answer("10.0.0.7", SanctionedName),
            Chain("10.0.0.8", ShadowName, (ShadowName, SanctionedName), (SanctionedName, Cdn)),
            .. SessionTo(SanctionedName, "10.0.0.7"), .. SessionTo(ShadowName, "10.0.0.8"),
        ];

        var f = AtCdn(Classify(observations));

        Assert.That(f.Verdict, Is.EqualTo(Verdict.Shadow));
        Assert.That(f.Hosts, Does.Contain(ShadowName).And.Not.Contain(SanctionedName));
    }

    private static Observation Chain(string client, string question, params (string Owner, string Data)[] records)
    {
        var fields = new FieldBag().Add("name", question).Add("type", "A").Add("response", "true").Add("rcode", "NOERROR");
        foreach (var (owner, data) in records) fields.Add("answer", data).Add("answer.name", owner);
        return new Observation
        {
            Kind = ObservationKinds.Dns, Flow = Obs.Flow(client, 5353, "10.0.0.1", 53, "udp"), Time = Obs.T0, Fields = fields, Source = "test",
        };
    }

    [Test]
    public void Classify_ShadowSniBesideTheSanctionedSniOnTheFrontEnd_NotSanctioned()
    {
        // TLS without keys: only the SNI tells the two servers apart; both sessions are MCP-shaped from several clients.
        var sanctionedFlow = Obs.Flow("10.0.0.7", 50_000, Cdn, 443);
        var shadowFlow = Obs.Flow("10.0.0.8", 50_001, Cdn, 443);
        List<Observation> observations =
        [
            Answer("10.0.0.7", SanctionedName), Answer("10.0.0.8", ShadowName),
            Obs.Tls(sanctionedFlow, 1, SanctionedName), Obs.Tls(shadowFlow, 2, ShadowName),
            Shape(sanctionedFlow, 30, SanctionedName), Shape(shadowFlow, 31, ShadowName),
        ];

        var f = AtCdn(Classify(observations));

        Assert.That(f.Verdict, Is.Not.EqualTo(Verdict.Sanctioned));
        Assert.That(f.Hosts, Does.Contain(ShadowName).And.Not.Contain(SanctionedName));
    }

    [Test]
    public void Classify_EntryGivingTheAddressWithoutAName_SanctionsEveryNameOnIt()
    {
        // The operator vouched for the whole address: nothing else on it is judged.
        var whole = new SanctionedEndpoint(null, Cdn, null, null, "our gateway");
        List<Observation> observations = [.. SessionTo(SanctionedName, "10.0.0.7"), .. SessionTo(ShadowName, "10.0.0.8")];

        var f = McpClassifier.Create(ShippedRules.RuleSet, new ClassifierOptions { Sanctioned = [whole] }).Classify(observations).Single();

        Assert.That(f.Verdict, Is.EqualTo(Verdict.Sanctioned));
    }

    private static Observation Shape(FlowRef flow, int second, string sni) => new()
    {
        Kind = ObservationKinds.TlsShape,
        Flow = flow,
        Time = Obs.T0.AddSeconds(second),
        Fields = new FieldBag().Add("score", "0.930").Add("clients", "several").Add("sni", sni),
        Source = "test",
    };
}
