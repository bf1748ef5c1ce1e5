using ShadowMcp.Core.Findings;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Engine;

/// <summary>
/// A shadow server whose clients sent a sanctioned name (Host header or SNI) that no DNS answer tied to its address:
/// the Classifier gives it the verdict its evidence gives and leaves the claimed name out of its names
/// (Classifier SpoofedSanctionedNameTests). The Enforcer must then block it by address without refusing the plan
/// for the sanctioned name, and still refuse whatever reaches the real sanctioned server.
/// </summary>
public sealed class FrontedSanctionedNameTests
{
    private const string Policy = """
        portal:
          url: https://portal.corp.example/
        ttl: 1h
        backends:
          - type: nftables
            name: fw
            command: [/nonexistent/bin/nft]
          - type: hosts
            path: $DIR/hosts
        """;

    private const string SanctionedName = "mcp.corp.example";
    private const string RealServer = "10.20.0.11";
    private const string Fronted = "10.66.0.9";
    private static readonly SanctionedEndpoint[] ByName = [new(SanctionedName, null, null, null, "the portal")];

    private Harness _h = null!;

    [SetUp]
    public void SetUp() => _h = new Harness(Policy);

    [TearDown]
    public void TearDown() => _h.Dispose();

    // The real server, vouched by DNS in the scan: sanctioned, with its name.
    private static Finding Real() =>
        TestFindings.Shadow(RealServer, 443, SanctionedName, verdict: Verdict.Sanctioned, hosts: SanctionedName);

    // As the Classifier now writes the fronted server: shadow, the claimed name only in its reason.
    private static Finding FrontedShadow()
    {
        var f = TestFindings.Shadow(Fronted, 8080, null);
        f.VerdictReason = $"claims the sanctioned name '{SanctionedName}' ('the portal') in its Host header or SNI, but no DNS answer seen tied it to {Fronted}";
        return f;
    }

    [Test]
    public async Task Plan_ShadowServerThatClaimedSanctionedName_BlockedByAddressAndNotRefused()
    {
        var plan = await _h.Engine.PlanAsync([Real(), FrontedShadow()], ByName, CancellationToken.None);

        var keys = plan.Entries.Select(e => e.Entry.Key).ToList();
        Assert.That(keys, Has.Some.Contain($"{Fronted}:8080"));
        Assert.That(keys, Has.None.Contain(SanctionedName).And.None.Contain(RealServer));
    }

    [Test]
    public void Plan_ShadowFindingThatStillListsTheClaimedName_RefusedNamingIt()
    {
        // Why the Classifier leaves a claimed name out: listed, it would be blocked by name (and would protect the
        // fronted address as "resolving" to it). A finding stored before that change keeps the name until the files that listed it are scanned again.
        var listed = FrontedShadow();
        listed.Hosts.Add(SanctionedName);

        var ex = Assert.ThrowsAsync<SanctionedConflictException>(() => _h.Engine.PlanAsync([Real(), listed], ByName, CancellationToken.None));

        Assert.That(ex!.Conflicts, Has.Some.StartsWith($"hosts: host:{SanctionedName} "));
        Assert.That(ex.Conflicts, Has.Some.StartsWith($"fw: addr:{Fronted}:8080 ").And.Some.Contain($"which resolves to {Fronted}"));
    }

    [Test]
    public void Plan_ShadowFindingOnTheRealSanctionedServersAddress_StillRefused()
    {
        // Another path on the real server's address:port: blocking the address:port would take the sanctioned server out.
        var other = TestFindings.Shadow(RealServer, 443, null, path: "/other");

        var ex = Assert.ThrowsAsync<SanctionedConflictException>(() =>
            _h.Engine.PlanAsync([Real(), FrontedShadow(), other], ByName, CancellationToken.None));

        Assert.That(ex!.Conflicts, Has.Some.Contain($"{RealServer}:443").And.Some.Contain("the portal"));
        Assert.That(ex.Conflicts, Has.None.Contain(Fronted));
    }
}
