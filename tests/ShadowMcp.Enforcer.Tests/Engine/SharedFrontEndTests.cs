using ShadowMcp.Core.Findings;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Engine;

/// <summary>
/// A shadow MCP server behind the same front end (a CDN address) as a sanctioned one: the Classifier files it shadow,
/// with its own name among its names and the sanctioned name among the address's names (Classifier
/// SharedFrontEndTests). Blocking the address would cut off the sanctioned server, so the plan blocks the shadow
/// server by name and path only, and is not refused for it.
/// </summary>
public sealed class SharedFrontEndTests
{
    private const string Policy = """
        ttl: 1h
        backends:
          - type: nftables
            name: fw
            command: [/nonexistent/bin/nft]
          - type: hosts
            path: $DIR/hosts
        """;

    private const string Cdn = "104.16.0.9";
    private static readonly SanctionedEndpoint[] ByName = [new("mcp.corp.example", null, null, null, "the portal")];

    private Harness _h = null!;

    [SetUp]
    public void SetUp() => _h = new Harness(Policy);

    [TearDown]
    public void TearDown() => _h.Dispose();

    private static Finding SharedShadow()
    {
        var f = TestFindings.Shadow(Cdn, 443, "tools.rogue.example", hosts: "tools.rogue.example");
        f.AddressNames.Add("mcp.corp.example");
        return f;
    }

    [Test]
    public async Task Plan_ShadowServerOnTheSanctionedOnesAddress_BlockedByNameNotAddress()
    {
        var plan = await _h.Engine.PlanAsync([SharedShadow()], ByName, CancellationToken.None);

        var keys = plan.Entries.Select(e => e.Entry.Key).ToList();
        Assert.That(keys, Does.Contain("host:tools.rogue.example"));
        Assert.That(keys, Has.None.Contain(Cdn), "the address also serves the sanctioned server");
        Assert.That(keys, Has.None.Contain("mcp.corp.example"));
        Assert.That(plan.SparedAddresses, Is.EqualTo(new[] { new ShadowMcp.Enforcer.Planning.SparedAddress($"{Cdn}:443/mcp", Cdn, "mcp.corp.example") }),
            "the plan says why the address is not blocked");
    }

    [Test]
    public async Task Plan_SameFindingWithoutTheSanctionedName_BlockedByAddressToo()
    {
        var f = TestFindings.Shadow(Cdn, 443, "tools.rogue.example", hosts: "tools.rogue.example");

        var plan = await _h.Engine.PlanAsync([f], ByName, CancellationToken.None);

        Assert.That(plan.Entries.Select(e => e.Entry.Key), Does.Contain($"addr:{Cdn}:443"));
        Assert.That(plan.SparedAddresses, Is.Empty);
    }
}
