using ShadowMcp.Tests;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Backends;

/// <summary>A real Squid on loopback: requests through it are denied after apply and allowed again after rollback.</summary>
[Category("Integration")]
[NonParallelizable]
public sealed class SquidLiveTests
{
    private Harness _h = null!;
    private LocalSquid _squid = null!;

    [SetUp]
    public async Task SetUp()
    {
        ExternalTools.Require("apt-get install squid", "squid");
        _h = new Harness("backends: []");
        _squid = await LocalSquid.StartAsync(_h.Dir);
        _h.UsePolicy($"""
            backends:
              - type: squid
                path: {_squid.IncludePath}
                reconfigure: [{string.Join(", ", _squid.ReconfigureCommand)}]
            """);
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_squid is not null) await _squid.DisposeAsync();
        _h?.Dispose();
    }

    [Test]
    public async Task Apply_DeniesShadowHostAndPathKeepsOthersAndRollbackRestores()
    {
        Assert.That(await _squid.StatusAsync("rogue.test", "/mcp"), Is.EqualTo(200), "before apply");
        Assert.That(await _squid.StatusAsync("api.corp.test", "/mcp"), Is.EqualTo(200), "before apply");

        var report = await _h.Engine.ApplyAsync(
            [TestFindings.Shadow(null, null, "rogue.test", path: null), TestFindings.Shadow(null, null, "api.corp.test", path: "/mcp")],
            [], CancellationToken.None);

        Assert.That(report.Failed, Is.False, string.Join("; ", report.Actions.Select(a => a.Error)));
        Assert.That(await _squid.WaitForStatusAsync("rogue.test", "/anything", 403), Is.EqualTo(403), "whole shadow host denied");
        Assert.That(await _squid.StatusAsync("api.corp.test", "/mcp/messages"), Is.EqualTo(403), "the MCP path on a shared host is denied");
        Assert.That(await _squid.StatusAsync("api.corp.test", "/v1/orders"), Is.EqualTo(200), "the rest of the shared host still works");
        Assert.That(await _squid.StatusAsync("api.corp.test", "/mcpdocs"), Is.EqualTo(200), "paths match by segment, not prefix");
        Assert.That(await _squid.StatusAsync("api.corp.test", "/mcp?session=1"), Is.EqualTo(403), "the MCP path with a query");
        Assert.That(await _squid.ConnectStatusAsync("api.corp.test"), Is.EqualTo(403), "CONNECT to the shared host is denied too");
        Assert.That(await _squid.ConnectStatusAsync("portal.test"), Is.EqualTo(200), "CONNECT to the portal still works");
        Assert.That(await _squid.StatusAsync("portal.test", "/mcp"), Is.EqualTo(200), "portal untouched");
        Assert.That(File.ReadAllText(_squid.IncludePath), Does.Contain("acl shadowmcp_hosts dstdomain .rogue.test")
            .And.Contain("urlpath_regex ^/mcp"));

        var again = await _h.Engine.ApplyAsync(
            [TestFindings.Shadow(null, null, "rogue.test", path: null), TestFindings.Shadow(null, null, "api.corp.test", path: "/mcp")],
            [], CancellationToken.None);
        Assert.That(again.Changed, Is.False);

        await _h.Engine.RollbackAsync(null, CancellationToken.None);

        Assert.That(await _squid.WaitForStatusAsync("rogue.test", "/mcp", 200), Is.EqualTo(200), "after rollback");
        Assert.That(await _squid.StatusAsync("api.corp.test", "/mcp"), Is.EqualTo(200), "after rollback");
    }

    [Test]
    public async Task Apply_GeneratedInclude_PassesSquidParse()
    {
        var report = await _h.Engine.ApplyAsync(
            [TestFindings.Shadow(null, null, "a.rogue.test", path: null, hosts: "rogue.test"), TestFindings.Shadow(null, null, "api.corp.test", path: "/mcp (v2)+")],
            [], CancellationToken.None);

        var (code, output) = Sh.Run("squid", "-k", "parse", "-f", _squid.ConfigPath);
        Assert.That(report.Failed, Is.False, string.Join("; ", report.Actions.Select(a => a.Error)));
        Assert.That(File.ReadAllText(_squid.IncludePath), Does.Contain("urlpath_regex ^/mcp[[:space:]]\\(v2\\)\\+([/?;]|$)\n"));
        Assert.That(await _squid.WaitForStatusAsync("api.corp.test", "/mcp%20(v2)+/x", 403), Is.EqualTo(403));
        Assert.That(await _squid.StatusAsync("api.corp.test", "/mcp"), Is.EqualTo(200));

        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Not.Contain("WARNING: You should probably remove"));
    }
}
