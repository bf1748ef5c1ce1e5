using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Policy;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Planning;

/// <summary>
/// Host names, paths, addresses and ports reach the plan from packets (Host, SNI, :path) and from remote sensors'
/// batches, so an attacker writes them. Planning is the one place they become block entries: an entry holds only
/// what every backend's file or command can carry as one token, or the part is left out.
/// </summary>
public sealed class HostileEntryTests
{
    private static readonly EnforcementPolicy Policy = PolicyLoader.Parse(
        "version: 1\nselect:\n  verdicts: [shadow]\n  min_confidence: 0.5\nmode: block\nbackends:\n  - type: hosts\n    path: /tmp/never-written\n", "test.yaml");

    private static IReadOnlyList<BlockEntry> Entries(params ShadowMcp.Core.Findings.Finding[] findings) =>
        [.. DesiredStateBuilder.Build(findings, Policy).Select(p => p.Entry)];

    [TestCase("x..rogue.test")]
    [TestCase(".rogue.test")]
    [TestCase("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.rogue.test")]
    public void HostThatIsNoDnsName_GetsNoEntry(string hostile)
    {
        var entries = Entries(TestFindings.Shadow(null, null, "mcp.rogue.test", path: null, hosts: hostile));

        Assert.That(entries.Select(e => e.Target), Is.EqualTo(new[] { "mcp.rogue.test" }));
    }

    [Test]
    public void LongestLegalName_StillGetsItsEntry()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('b', 61);
        Assert.That(name, Has.Length.EqualTo(253));

        Assert.That(Entries(TestFindings.Shadow(null, null, name, path: null)).Select(e => e.Target), Is.EqualTo(new[] { name }));
    }

    [TestCase("/mcp\nhttp_access allow all")]
    [TestCase("/mcp\r\n")]
    [TestCase("/mcp\0")]
    [TestCase("/mcp\u0085")]
    [TestCase("/mcp\u2028x")]
    [TestCase("/mcp\u001b[2J")]
    public void PathWithAControlOrLineSeparatorCharacter_GetsNoPathEntry(string hostile)
    {
        var entries = Entries(TestFindings.Shadow(null, null, "api.corp.test", path: hostile));

        Assert.That(entries.Where(e => e.Kind == BlockKind.HostPath), Is.Empty);
        Assert.That(entries.Select(e => e.Key), Is.EqualTo(new[] { "host:api.corp.test" }), "the name is still blocked");
    }

    [Test]
    public void PathWithSpacesAndRegexPunctuation_KeepsItsEntry()
    {
        var entries = Entries(TestFindings.Shadow(null, null, "api.corp.test", path: "/mcp (v2)+"));

        Assert.That(entries.Single(e => e.Kind == BlockKind.HostPath).Path, Is.EqualTo("/mcp (v2)+"));
    }

    [TestCase("fe80::1%1")]
    [TestCase("fe80::1%lo")]
    public void ScopedAddress_GetsNoAddressEntry(string hostile)
    {
        // nft has no syntax for a scope in a set element: one such entry fails the whole table's transaction.
        var entries = Entries(TestFindings.Shadow(hostile, 8080, null, path: null), TestFindings.Shadow("192.0.2.7", 8080, null, path: null));

        Assert.That(entries.Select(e => e.Key), Is.EqualTo(new[] { "addr:192.0.2.7:8080" }));
    }

    [TestCase(-1)]
    [TestCase(65536)]
    public void PortOutsideTcp_GetsNoAddressPortEntry(int port)
    {
        var entries = Entries(TestFindings.Shadow("192.0.2.8", port, null, path: null), TestFindings.Shadow("192.0.2.7", 8080, null, path: null));

        Assert.That(entries.Select(e => e.Key), Is.EqualTo(new[] { "addr:192.0.2.7:8080" }));
    }
}
