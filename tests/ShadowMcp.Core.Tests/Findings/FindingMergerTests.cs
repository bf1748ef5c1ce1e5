using ShadowMcp.Core.Findings;

namespace ShadowMcp.Core.Tests.Findings;

/// <summary>
/// Merging the parts of one endpoint from several files or sensors: the latest verdict stands, except that a
/// sanctioned verdict speaks only for the names its parts list, so a shadow server behind the sanctioned one's front
/// end (same address, port and path), seen by another sensor, does not hide in the merged finding.
/// </summary>
public sealed class FindingMergerTests
{
    private static readonly DateTime T0 = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    private static Finding Part(Verdict verdict, double confidence, string reason, params string[] hosts)
    {
        var f = new Finding
        {
            Endpoint = new Endpoint("104.16.0.9", 443, hosts.FirstOrDefault(), "/mcp"),
            Verdict = verdict, VerdictReason = reason, Confidence = confidence, Flows = 1, FirstSeen = T0, LastSeen = T0,
        };
        f.Hosts.UnionWith(hosts);
        return f;
    }

    [Test]
    public void Merge_SanctionedPartAndShadowPartNamingAnotherServer_ShadowWithTheSanctionedNameMovedToAddressNames()
    {
        var shadow = Part(Verdict.Shadow, 0.6, "MCP protocol evidence", "tools.rogue.example");
        var sanctioned = Part(Verdict.Sanctioned, 0.9, "matches sanctioned endpoint 'the portal'", "mcp.corp.example");

        var merged = FindingMerger.Merge(FindingMerger.StrongestLast([shadow, sanctioned]));

        Assert.Multiple(() =>
        {
            Assert.That(merged.Verdict, Is.EqualTo(Verdict.Shadow));
            Assert.That(merged.VerdictReason, Does.Contain("'tools.rogue.example'").And.Contain("shared front end").And.EndWith("MCP protocol evidence"));
            Assert.That(merged.Hosts, Is.EqualTo(new[] { "tools.rogue.example" }));
            Assert.That(merged.AddressNames, Is.EqualTo(new[] { "mcp.corp.example" }));
            Assert.That(merged.Endpoint.Host, Is.EqualTo("tools.rogue.example"));
        });
    }

    [Test]
    public void Merge_ShadowSeenBeforeTheNameWasSanctioned_LatestSanctionedVerdictStands()
    {
        // The same server under the same name: first shadow, then the operator sanctioned it.
        var before = Part(Verdict.Shadow, 0.9, "MCP protocol evidence", "mcp.corp.example");
        var after = Part(Verdict.Sanctioned, 0.9, "matches sanctioned endpoint 'the portal'", "mcp.corp.example");

        var merged = FindingMerger.Merge([before, after]);

        Assert.That(merged.Verdict, Is.EqualTo(Verdict.Sanctioned));
        Assert.That(merged.Hosts, Is.EqualTo(new[] { "mcp.corp.example" }));
    }

    [TestCase("agents.corp.example", TestName = "Merge_ShadowSeenUnderAnAliasTooBeforeTheNameWasSanctioned_LatestSanctionedVerdictStands")]
    [TestCase("www.news.example", TestName = "Merge_ShadowWithAnotherSiteDnsTiedBeforeTheNameWasSanctioned_LatestSanctionedVerdictStands")]
    public void Merge_ShadowSeenWithAnotherNameBeforeTheNameWasSanctioned_LatestSanctionedVerdictStands(string otherName)
    {
        // Before the entry: the server's flows used its name and another (its CNAME alias, or a site on the same front
        // end the client had resolved last), all shadow. After: sanctioned, this time under its name alone.
        var before = Part(Verdict.Shadow, 0.9, "MCP protocol evidence", "mcp.corp.example", otherName);
        var after = Part(Verdict.Sanctioned, 0.9, "matches sanctioned endpoint 'the portal'", "mcp.corp.example");

        var merged = FindingMerger.Merge([before, after]);

        Assert.That(merged.Verdict, Is.EqualTo(Verdict.Sanctioned), merged.VerdictReason);
        Assert.That(merged.Hosts, Does.Contain("mcp.corp.example"));
    }

    [Test]
    public void Merge_SanctionedByAddressWithoutNames_LatestVerdictStands()
    {
        var before = Part(Verdict.Shadow, 0.9, "MCP protocol evidence", "mcp.internal.example");
        var after = Part(Verdict.Sanctioned, 0.9, "matches sanctioned endpoint 'gateway'");

        Assert.That(FindingMerger.Merge([before, after]).Verdict, Is.EqualTo(Verdict.Sanctioned));
    }
}
