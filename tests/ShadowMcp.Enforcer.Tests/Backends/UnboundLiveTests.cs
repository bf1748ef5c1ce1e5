using ShadowMcp.Core.Findings;
using ShadowMcp.Tests;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Backends;

/// <summary>A real unbound on loopback, queried with DnsClient before apply, after apply and after rollback.</summary>
[Category("Integration")]
[NonParallelizable]
public sealed class UnboundLiveTests
{
    private Harness _h = null!;
    private LocalUnbound _unbound = null!;

    [SetUp]
    public void SetUp()
    {
        ExternalTools.Require("apt-get install unbound", "unbound", "unbound-control");
        _h = new Harness("backends: []");
        _unbound = new LocalUnbound(_h.Dir);
    }

    [TearDown]
    public void TearDown()
    {
        _unbound?.Dispose();
        _h?.Dispose();
    }

    private void UsePolicy(string mode) => _h.UsePolicy($"""
        mode: {mode}
        portal:
          url: https://portal.corp.test/
          addresses: [192.0.2.10]
        backends:
          - type: unbound
            path: {_unbound.IncludePath}
            reload: [{string.Join(", ", _unbound.ReloadCommand)}]
        """);

    [Test]
    public async Task Apply_BlockMode_AnswersNxdomainForNameAndSubdomainsUntilRollback()
    {
        UsePolicy("block");
        Assert.That(_unbound.Resolve("mcp.corp.test"), Is.EqualTo("192.0.2.44"), "before apply");

        var report = await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "mcp.corp.test")], [], CancellationToken.None);

        Assert.That(report.Failed, Is.False, string.Join("; ", report.Actions.Select(a => a.Error)));
        Assert.That(_unbound.Resolve("mcp.corp.test"), Is.EqualTo("NXDOMAIN"));
        Assert.That(_unbound.Resolve("deep.mcp.corp.test"), Is.EqualTo("NXDOMAIN"));
        Assert.That(_unbound.Resolve("portal.corp.test"), Is.EqualTo("192.0.2.10"), "the portal still resolves");

        await _h.Engine.RollbackAsync(null, CancellationToken.None);

        Assert.That(_unbound.Resolve("mcp.corp.test"), Is.EqualTo("192.0.2.44"), "after rollback");
        Assert.That(File.ReadAllText(_unbound.IncludePath), Does.Not.Contain("mcp.corp.test"));
    }

    /// <summary>
    /// Names come from Host headers and SNI, which the attacker writes. One that is not a DNS name (an empty label,
    /// a label over 63 octets) must not reach the include: Unbound refuses the whole file, so the reload fails, the
    /// old file is put back and no block of any finding goes live.
    /// </summary>
    [TestCase("x..mcp.corp.test")]
    [TestCase(".mcp.corp.test")]
    [TestCase("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.corp.test")]
    public async Task Apply_FindingWithAHostThatIsNoDnsName_StillBlocksTheOthers(string hostile)
    {
        UsePolicy("block");

        var report = await _h.Engine.ApplyAsync(
            [TestFindings.Shadow("192.0.2.44", 8080, "mcp.corp.test", hosts: hostile), TestFindings.Shadow(null, null, "www.corp.test")],
            [], CancellationToken.None);

        Assert.That(report.Failed, Is.False, string.Join("; ", report.Actions.Select(a => a.Error)));
        Assert.That(_unbound.Resolve("mcp.corp.test"), Is.EqualTo("NXDOMAIN"));
        Assert.That(_unbound.Resolve("www.corp.test"), Is.EqualTo("NXDOMAIN"));
        Assert.That(File.ReadAllText(_unbound.IncludePath), Does.Not.Contain($"\"{hostile}.\""));
    }

    [Test]
    public async Task Apply_RedirectMode_AnswersWithPortalAddress()
    {
        UsePolicy("redirect");

        await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "mcp.corp.test")], [], CancellationToken.None);

        Assert.That(_unbound.Resolve("mcp.corp.test"), Is.EqualTo("192.0.2.10"));
        Assert.That(_unbound.Resolve("x.mcp.corp.test"), Is.EqualTo("192.0.2.10"));
    }

    [Test]
    public async Task Apply_Twice_SecondRunDoesNotReload()
    {
        UsePolicy("block");
        await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "mcp.corp.test")], [], CancellationToken.None);
        var written = File.GetLastWriteTimeUtc(_unbound.IncludePath);

        var second = await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "mcp.corp.test")], [], CancellationToken.None);

        Assert.That(second.Changed, Is.False);
        Assert.That(File.GetLastWriteTimeUtc(_unbound.IncludePath), Is.EqualTo(written));
    }

    [Test]
    public async Task Apply_UnboundDown_ReportsFailureAndLeavesTheFileAlone()
    {
        UsePolicy("block");
        _unbound.Stop();
        var old = File.ReadAllText(_unbound.IncludePath);

        var report = await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "mcp.corp.test")], [], CancellationToken.None);

        Assert.That(report.Failed, Is.True);
        // What a resolver holds is read from the resolver itself: one that is down cannot be read, so nothing is written.
        Assert.That(report.Actions.Single().Error, Does.Contain("list_local_zones"));
        Assert.That(report.Actions.Single().StateKnown, Is.False);
        Assert.That(File.ReadAllText(_unbound.IncludePath), Is.EqualTo(old));
        var plan = await _h.Engine.PlanAsync([TestFindings.Shadow(null, null, "mcp.corp.test")], [], CancellationToken.None);
        Assert.That(plan.Backends.Single().Error, Does.Contain("list_local_zones"), "plan says the backend cannot be read");
    }

    [Test]
    public async Task Apply_OtherNamesOnTheShadowAddress_KeepResolving()
    {
        // mcp, upstream (the portal's sanctioned upstream) and www share 192.0.2.44; only mcp carried MCP flows.
        UsePolicy("block");
        var shadow = TestFindings.Shadow("192.0.2.44", 3000, "mcp.corp.test", hosts: "mcp.corp.test");
        shadow.AddressNames.UnionWith(["upstream.corp.test", "www.corp.test"]);
        SanctionedEndpoint[] sanctioned = [new("upstream.corp.test", null, null, null, "portal upstream")];

        var report = await _h.Engine.ApplyAsync([shadow], sanctioned, CancellationToken.None);

        Assert.That(report.Failed, Is.False, string.Join("; ", report.Actions.Select(a => a.Error)));
        Assert.That(_unbound.Resolve("mcp.corp.test"), Is.EqualTo("NXDOMAIN"));
        Assert.That(_unbound.Resolve("upstream.corp.test"), Is.EqualTo("192.0.2.44"), "the sanctioned upstream's name");
        Assert.That(_unbound.Resolve("www.corp.test"), Is.EqualTo("192.0.2.44"), "a name that merely resolved there");
        Assert.That(File.ReadAllText(_unbound.IncludePath), Does.Not.Contain("upstream").And.Not.Contain("www"));
    }
}
