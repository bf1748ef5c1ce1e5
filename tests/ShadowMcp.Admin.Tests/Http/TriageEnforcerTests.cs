using System.Net;
using System.Text.RegularExpressions;
using ShadowMcp.Admin.Tests.Support;
using ShadowMcp.Cli.Hosting;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Admin.Tests.Http;

/// <summary>
/// Triage decisions as the real enforcer (`serve --enforce-policy`, hosts-file backend) plans them: Block plans a
/// finding the policy's selection passes over, and Add exception keeps a shadow finding out of the plan.
/// </summary>
internal sealed partial class TriageEnforcerTests
{
    private AdminHost _host = null!;
    private AdminHttpClient _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        var clock = new StoppedClock();
        _host = await AdminHost.StartAsync(time: clock, enforcer: (directory, db) =>
        {
            var hosts = Path.Combine(directory, "hosts");
            File.WriteAllText(hosts, "127.0.0.1 localhost\n");
            var policy = Path.Combine(directory, "enforce.yaml");
            File.WriteAllText(policy, $"version: 1\nselect:\n  verdicts: [shadow]\n  min_confidence: 0.5\nmode: block\nbackends:\n  - type: hosts\n    path: {hosts}\n");
            return new EnforcementDataSources(policy, db, () => [], clock);
        });
        _client = new AdminHttpClient(_host);
        await _client.LoginAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<string> PostAsync(string key, string command)
    {
        long id;
        using (var db = ShadowMcpDbContext.Open(Path.Combine(_host.Directory, "store.db")))
            id = db.Findings.Single(f => f.EndpointKey == key).Id;
        var csrf = await _client.CsrfFieldAsync("/admin/findings");
        using var response = await _client.PostFormAsync($"/admin/findings/{id}/{command}", [csrf]);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsStringAsync();
    }

    private static List<string> PlannedNames(string html) =>
        [.. PlanStep().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    [Test]
    public async Task Block_PlansASuspectedFindingThePolicyWouldNotSelect()
    {
        var html = await PostAsync(SeededFindings.SuspectedKey, "block");
        Assert.That(html, Does.Contain("is marked blocked"));
        Assert.That(PlannedNames(html), Does.Contain("host:mcp.example.com"));
    }

    [Test]
    public async Task AddException_KeepsTheShadowFindingOutOfThePlan()
    {
        var before = await PostAsync(SeededFindings.SuspectedKey, "block");
        Assert.That(PlannedNames(before), Does.Contain("host:mcp.dev.corp"));
        await PostAsync(SeededFindings.EverythingKey, "exception");
        var after = await PostAsync(SeededFindings.SuspectedKey, "block");
        Assert.That(PlannedNames(after), Does.Not.Contain("host:mcp.dev.corp"));
        Assert.That(PlannedNames(after), Does.Contain("host:mcp.example.com"));
    }

    [GeneratedRegex("<tr><td class=\"mono\">([^<]*)</td>")]
    private static partial Regex PlanStep();
}
