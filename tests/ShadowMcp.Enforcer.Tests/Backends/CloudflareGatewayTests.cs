using ShadowMcp.Core.Findings;
using ShadowMcp.Enforcer.Planning;
using ShadowMcp.Enforcer.Tests.Support;

namespace ShadowMcp.Enforcer.Tests.Backends;

/// <summary>The Cloudflare Gateway backend against a local stand-in that checks Cloudflare's published shapes.</summary>
[Category("Integration")]
[NonParallelizable]
public sealed class CloudflareGatewayTests
{
    private const string Account = "699d98642c564d2e855e9661899b7252";
    private Harness _h = null!;
    private CloudflareStandIn _cf = null!;

    [SetUp]
    public async Task SetUp()
    {
        Environment.SetEnvironmentVariable("SMCP_TEST_CF_TOKEN", "good-token");
        _cf = await CloudflareStandIn.StartAsync(Account, "good-token");
        _h = new Harness(Policy("block"));
    }

    [TearDown]
    public async Task TearDown()
    {
        _h.Dispose();
        await _cf.DisposeAsync();
    }

    private string Policy(string mode) => $"""
        mode: {mode}
        portal:
          url: https://portal.corp.example/
          addresses: [10.9.0.10]
        backends:
          - type: cloudflare
            url: {_cf.BaseUrl}
            account_id: {Account}
            token_env: SMCP_TEST_CF_TOKEN
        """;

    [Test]
    public async Task Apply_CreatesOneBlockRulePerHostAndIsIdempotent()
    {
        _cf.AddForeignRule("office block list");

        var report = await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example", path: null, hosts: "mcp.rogue.example")], [], CancellationToken.None);
        var again = await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example", path: null, hosts: "mcp.rogue.example")], [], CancellationToken.None);

        Assert.That(report.Failed, Is.False, string.Join("; ", report.Actions.Select(a => a.Error)));
        var own = _cf.Rules.Values.Where(r => r["name"]!.GetValue<string>().StartsWith("shadowmcp: ", StringComparison.Ordinal)).ToList();
        Assert.That(own.Select(r => r["traffic"]!.GetValue<string>()), Is.EquivalentTo(new[]
        {
            "any(http.request.domains[*] == \"rogue.example\")", "any(http.request.domains[*] == \"mcp.rogue.example\")",
        }));
        Assert.That(own.Select(r => r["action"]!.GetValue<string>()), Is.All.EqualTo("block"));
        Assert.That(again.Changed, Is.False);
        Assert.That(_cf.Calls.Count(c => c.StartsWith("POST", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(_cf.Rules.ContainsKey("foreign"), Is.True);
    }

    [Test]
    public async Task Apply_ModeChangedToRedirect_UpdatesRuleInPlace()
    {
        await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example", path: null)], [], CancellationToken.None);
        var id = _cf.Rules.Keys.Single();
        _h.UsePolicy(Policy("redirect"));

        var report = await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example", path: null)], [], CancellationToken.None);

        Assert.That(report.Failed, Is.False, string.Join("; ", report.Actions.Select(a => a.Error)));
        var rule = _cf.Rules[id];
        Assert.That(rule["action"]!.GetValue<string>(), Is.EqualTo("redirect"));
        Assert.That(rule["rule_settings"]!["redirect"]!["target_uri"]!.GetValue<string>(), Is.EqualTo("https://portal.corp.example/"));
        Assert.That(_cf.Calls, Has.One.StartsWith("PUT"));
    }

    [Test]
    public async Task Rollback_DeletesTheCreatedRules()
    {
        _cf.AddForeignRule("office block list");
        await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example", path: null)], [], CancellationToken.None);

        var back = await _h.Engine.RollbackAsync(null, CancellationToken.None);

        Assert.That(back.Failed, Is.False);
        Assert.That(_cf.Rules.Keys, Is.EqualTo(new[] { "foreign" }));
    }

    [Test]
    public async Task Apply_WrongToken_ReportsCloudflareError()
    {
        Environment.SetEnvironmentVariable("SMCP_TEST_CF_TOKEN", "revoked");
        _h.UsePolicy(Policy("block"));

        var report = await _h.Engine.ApplyAsync([TestFindings.Shadow(null, null, "rogue.example", path: null)], [], CancellationToken.None);

        Assert.That(report.Failed, Is.True);
        Assert.That(report.Actions.Single().Error, Does.Contain("HTTP 403").And.Contain("10000: Authentication error"));
    }

    [Test]
    public void Plan_RuleOnParentOfSanctionedHost_IsRefusedForCloudflare()
    {
        // A Gateway domain rule covers subdomains, so a rule for corp.example would stop the sanctioned upstream.
        SanctionedEndpoint[] sanctioned = [new("github-mcp.corp.example", null, null, null, "upstream github")];
        var parent = TestFindings.Shadow(null, null, "corp.example", path: null);

        var ex = Assert.ThrowsAsync<SanctionedConflictException>(() =>
            _h.Engine.PlanAsync([parent], sanctioned, CancellationToken.None));

        Assert.That(ex!.Conflicts, Has.Some.StartWith("cloudflare: host:corp.example")
            .And.Some.Contain("github-mcp.corp.example"));
        Assert.That(_cf.Rules, Is.Empty, "nothing was sent to Cloudflare");
    }
}
