using ShadowMcp.Core.Findings;

namespace ShadowMcp.Core.Tests.Findings;

/// <summary>
/// The one mapping from stored evidence to a finding's basis: each kind of evidence, a mix (strongest first), the
/// decrypted mark, the probe's sources, and evidence this version does not know.
/// </summary>
public sealed class BasisRulesTests
{
    private static readonly SourceKinds Passive = new(Probe: false, Passive: true);

    private static FindingBases Of(SourceKinds sources, params (string Rule, string Detail)[] evidence) => BasisRules.For(evidence, sources);

    [TestCase("mcp-initialize-request", "method=initialize protocolVersion=2025-06-18", FindingBasis.Content)]
    [TestCase("mcp-session-id-header", "header=Mcp-Session-Id", FindingBasis.Content)]
    [TestCase("mcp-sse-endpoint-event", "event=endpoint", FindingBasis.Content)]
    [TestCase("mcp-tools-list-result", "tools=read_file (decrypted)", FindingBasis.Decrypted)]
    [TestCase("mcp-known-host-tls", "sni=mcp.notion.com", FindingBasis.Name)]
    [TestCase("mcp-host-pattern", "query=mcp.example.com", FindingBasis.Name)]
    [TestCase("mcp-known-host-http", "host=mcp.linear.app (decrypted)", FindingBasis.Name)]
    [TestCase("mcp-shape-session", "score=0.93 clients=one", FindingBasis.Shape)]
    [TestCase("mcp-shape-several-clients", "score=0.97 clients=several", FindingBasis.Shape)]
    [TestCase("host.config", "agent=claude-code file=~/.claude.json", FindingBasis.Host)]
    [TestCase("host.process", "pid=42 command=npx server", FindingBasis.Host)]
    [TestCase("host.secret", "kind=github-token value=[redacted]", FindingBasis.Host)]
    [TestCase("my-local-rule", "anything", FindingBasis.Other)]
    [TestCase("MCP-INITIALIZE-REQUEST", "rule ids are matched exactly", FindingBasis.Other)]
    [TestCase("", "", FindingBasis.Other)]
    public void Of_EachKindOfEvidence_HasItsBasis(string rule, string detail, FindingBasis expected) =>
        Assert.That(BasisRules.Of(rule, detail), Is.EqualTo(expected));

    [Test]
    public void Of_NullRuleOrDetail_IsOtherOrPlain_NeverThrows()
    {
        Assert.That(BasisRules.Of(null, null), Is.EqualTo(FindingBasis.Other));
        Assert.That(BasisRules.Of("mcp-initialize-request", null), Is.EqualTo(FindingBasis.Content));
    }

    [TestCase("method=initialize (decrypted)", true)]
    [TestCase("method=initialize (DECRYPTED)", true)]
    [TestCase("method=initialize", false)]
    [TestCase("(decrypted) method=initialize", false)]
    [TestCase("method=initialize(decrypted)", false)]
    public void IsDecrypted_ReadsTheClassifiersMarkAtTheEnd(string detail, bool decrypted) =>
        Assert.That(BasisRules.IsDecrypted(detail), Is.EqualTo(decrypted));

    [Test]
    public void For_ShapeOnly_IsAShapeLead()
    {
        var bases = Of(Passive, ("mcp-shape-session", "score=0.91 clients=one"), ("mcp-shape-several-clients", "score=0.95 clients=several"));

        Assert.That((bases.Primary, bases.All), Is.EqualTo((FindingBasis.Shape, new[] { FindingBasis.Shape })));
    }

    [Test]
    public void For_Mixed_ListsEveryBasisStrongestFirst()
    {
        var bases = Of(Passive,
            ("mcp-shape-session", "score=0.91 clients=one"),
            ("mcp-known-host-tls", "sni=mcp.notion.com"),
            ("mcp-initialize-request", "method=initialize (decrypted)"),
            ("mcp-initialize-result", "server=notion"),
            ("my-local-rule", "x"));

        Assert.That(bases.All, Is.EqualTo(new[]
        {
            FindingBasis.Content, FindingBasis.Decrypted, FindingBasis.Name, FindingBasis.Shape, FindingBasis.Other,
        }));
        Assert.That(bases.Primary, Is.EqualTo(FindingBasis.Content));
        Assert.That(bases.ToString(), Is.EqualTo("content decrypted name shape other"));
    }

    [Test]
    public void For_NameAndShape_NameIsPrimary()
    {
        var bases = Of(Passive, ("mcp-shape-session", "score=0.91"), ("mcp-host-pattern-tls", "sni=mcp.corp"));

        Assert.That((bases.Primary, bases.ToString()), Is.EqualTo((FindingBasis.Name, "name shape")));
    }

    [Test]
    public void For_UnknownEvidenceOnly_OrNone_IsOther()
    {
        Assert.That(Of(Passive, ("mcp-hostname", "name=mcp.example.com")).All, Is.EqualTo(new[] { FindingBasis.Other }));
        Assert.That(Of(Passive).All, Is.EqualTo(new[] { FindingBasis.Other }));
        Assert.That(Of(SourceKinds.None), Is.EqualTo(FindingBases.None));
    }

    [Test]
    public void For_ProbeOnly_ContentIsTheProbes()
    {
        var bases = Of(new SourceKinds(Probe: true, Passive: false),
            ("mcp-initialize-result", "server=everything"), ("mcp-tools-list-result", "tools=echo (decrypted)"));

        Assert.That(bases.All, Is.EqualTo(new[] { FindingBasis.Probe }));
    }

    [Test]
    public void For_ProbeBesidePassiveCaptures_KeepsBoth()
    {
        var bases = Of(new SourceKinds(Probe: true, Passive: true), ("mcp-initialize-result", "server=everything"), ("mcp-known-host-dns", "q=x"));

        Assert.That(bases.All, Is.EqualTo(new[] { FindingBasis.Content, FindingBasis.Probe, FindingBasis.Name }));
    }

    [Test]
    public void For_ModelEvidence_SameAsRuleAndDetail()
    {
        var evidence = new[]
        {
            new Evidence { Rule = "host.config", Detail = "agent=cursor" },
            new Evidence { Rule = "mcp-known-host-dns", Detail = "query=mcp.notion.com" },
        };

        Assert.That(BasisRules.For(evidence, SourceKinds.None).All, Is.EqualTo(new[] { FindingBasis.Host, FindingBasis.Name }));
    }

    [Test]
    public void KnownRules_PlaceEachRuleOnce()
    {
        Assert.That(BasisRules.KnownRules, Is.Unique);
        Assert.That(BasisRules.KnownRules.Select(r => BasisRules.Of(r, "")), Has.None.EqualTo(FindingBasis.Other));
    }

    [Test]
    public void Names_RoundTrip_AndEveryBasisHasALegend()
    {
        foreach (var b in FindingBasisNames.All)
        {
            Assert.That(FindingBasisNames.TryParse(b.ToWire().ToUpperInvariant(), out var back) && back == b, b.ToString());
            Assert.That(b.Meaning(), Is.Not.Empty);
            Assert.That(b.Sureness(), Is.Not.Empty);
        }
        Assert.That(FindingBasisNames.TryParse("sure", out _), Is.False);
        Assert.That(FindingBasis.Shape.Sureness(), Does.Contain("lead"));
    }
}
