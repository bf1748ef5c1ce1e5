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
        UsePolicy(string.Join(", ", _squid.ReconfigureCommand));
    }

    /// <summary>The Squid backend with its cache manager, so what it holds is read from the running Squid.</summary>
    private void UsePolicy(string reconfigure, Action<string>? step = null)
    {
        _h.UsePolicy($"""
            backends:
              - type: squid
                path: {_squid.IncludePath}
                reconfigure: [{reconfigure}]
                manager: {_squid.ManagerUrl}
                reconfigure_wait_ms: 2000
            """);
        if (step is not null) _h.UseStep(step);
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

    /// <summary>
    /// A path comes from the request line or an HTTP/2 :path, which the attacker writes; HTTP/2 carries any octet
    /// there. A line break in it must not start a new squid.conf line: "http_access" alone on a line is fatal to
    /// Squid, so the reload fails and no block of any finding goes live (or a running Squid dies).
    /// </summary>
    [TestCase("/mcp\nhttp_access")]
    [TestCase("/mcp\rhttp_access")]
    [TestCase("/mcp\0x")]
    [TestCase("/mcp\u0085x")]
    public async Task Apply_FindingWithAControlCharacterInItsPath_StillBlocksTheOthers(string hostilePath)
    {
        var report = await _h.Engine.ApplyAsync(
            [TestFindings.Shadow(null, null, "rogue.test", path: null), TestFindings.Shadow(null, null, "api.corp.test", path: hostilePath)],
            [], CancellationToken.None);

        var (code, output) = Sh.Run("squid", "-k", "parse", "-f", _squid.ConfigPath);
        Assert.That(report.Failed, Is.False, string.Join("; ", report.Actions.Select(a => a.Error)));
        Assert.That(code, Is.Zero, output);
        Assert.That(await _squid.WaitForStatusAsync("rogue.test", "/mcp", 403), Is.EqualTo(403), "the other finding is blocked");
        Assert.That(File.ReadAllText(_squid.IncludePath).Split('\n').Where(l => l.Length > 0),
            Has.All.Match("^(#|acl |http_access |deny_info )"), "every line is one of ours");
    }

    [Test]
    public async Task Read_WrittenButNeverLoaded_IsNotHeld()
    {
        // A reconfigure that does nothing: the file says "blocked", the running Squid does not.
        UsePolicy("true");
        var findings = new[] { TestFindings.Shadow(null, null, "rogue.test", path: null) };

        var report = await _h.Engine.ApplyAsync(findings, [], CancellationToken.None);

        Assert.That(File.ReadAllText(_squid.IncludePath), Does.Contain("dstdomain .rogue.test"));
        Assert.That(report.Failed, Is.True);
        Assert.That(report.Actions.Single().Error, Does.Contain("does not hold what was written"));
        Assert.That(await _squid.StatusAsync("rogue.test", "/mcp"), Is.EqualTo(200), "Squid never loaded the block");
        var plan = await _h.Engine.PlanAsync(findings, [], CancellationToken.None);
        Assert.That(plan.Backends.Single().Added.Select(e => e.Key), Is.EqualTo(new[] { "host:rogue.test" }),
            "not reported held");

        UsePolicy(string.Join(", ", _squid.ReconfigureCommand));
        var fixedRun = await _h.Engine.ApplyAsync(findings, [], CancellationToken.None);

        Assert.That(fixedRun.Failed, Is.False, string.Join("; ", fixedRun.Actions.Select(a => a.Error)));
        Assert.That(await _squid.StatusAsync("rogue.test", "/mcp"), Is.EqualTo(403),
            "held means loaded: the read-back waited for it");
        Assert.That((await _h.Engine.PlanAsync(findings, [], CancellationToken.None)).HasChanges, Is.False);
    }

    [Test]
    public async Task Reconcile_KilledBeforeSquidLoadedTheFile_PutsTheFileBackExactly()
    {
        var before = File.ReadAllBytes(_squid.IncludePath);
        var findings = new[] { TestFindings.Shadow(null, null, "rogue.test", path: null) };
        // The run dies right after writing the file, before Squid loaded it (its reconfigure did nothing).
        UsePolicy("true", step => { if (step == "committed:squid") throw new OperationCanceledException("killed"); });
        Assert.ThrowsAsync<OperationCanceledException>(() =>
            _h.Engine.ApplyAsync(findings, [], CancellationToken.None));
        Assert.That(_h.Store.LoadActions().Single().Result, Is.EqualTo("pending"));

        UsePolicy(string.Join(", ", _squid.ReconfigureCommand));
        var plan = await _h.Engine.PlanAsync(findings, [], CancellationToken.None);

        var row = _h.Engine.Reconciled.Single();
        Assert.That(row.Error, Does.Contain("did not take effect"));
        Assert.That(File.ReadAllBytes(_squid.IncludePath), Is.EqualTo(before), "byte-exact");
        Assert.That(await _squid.StatusAsync("rogue.test", "/mcp"), Is.EqualTo(200));
        Assert.That(plan.Backends.Single().Added, Has.Count.EqualTo(1), "the block is still wanted, and not held");
    }

    [Test]
    public async Task Plan_SquidDown_FailsLoudlyNamingTheManager()
    {
        await _squid.StopAsync();

        var shadow = TestFindings.Shadow(null, null, "rogue.test", path: null);
        var plan = await _h.Engine.PlanAsync([shadow], [], CancellationToken.None);
        var report = await _h.Engine.ApplyAsync([shadow], [], CancellationToken.None);

        Assert.That(plan.Backends.Single().Error, Does.Contain("cannot read Squid's loaded configuration")
            .And.Contain(_squid.ManagerUrl));
        Assert.That(report.Failed, Is.True);
        Assert.That(File.ReadAllText(_squid.IncludePath), Does.Not.Contain("rogue.test"),
            "nothing written to an unreadable backend");
    }
}
