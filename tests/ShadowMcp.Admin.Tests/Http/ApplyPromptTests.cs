using System.Net;
using System.Text.RegularExpressions;
using ShadowMcp.Admin.Tests.Support;
using ShadowMcp.Cli.Hosting;

namespace ShadowMcp.Admin.Tests.Http;

/// <summary>
/// The apply prompt counts the servers an admin is about to block, not rules: with a hosts file and a webhook
/// (which takes addresses, names and paths; planning only reads its own record, so nothing is sent), the seeded
/// "everything" server is an address rule, a name rule and a path rule on the webhook and a name rule in the hosts file.
/// </summary>
internal sealed class ApplyPromptTests
{
    private AdminHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await AdminHost.StartAsync(enforcer: (directory, db) =>
    {
        var policy = Path.Combine(directory, "enforce.yaml");
        File.WriteAllText(policy,
            "version: 1\nselect:\n  verdicts: [shadow]\n  min_confidence: 0.5\nmode: block\nbackends:\n"
            + $"  - type: hosts\n    path: {Path.Combine(directory, "hosts")}\n  - type: webhook\n    url: http://127.0.0.1:9/hook\n");
        return new EnforcementDataSources(policy, db, () => [], TimeProvider.System);
    });

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task Plan_ServerWithAddressAndNameRulesOnTwoBackends_CountsAsOneEndpoint()
    {
        using var client = new AdminHttpClient(_host);
        await client.LoginAsync();
        var csrf = await client.CsrfFieldAsync("/admin/enforcement");
        using var response = await client.PostFormAsync("/admin/enforcement/plan", [csrf]);
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);

        var steps = Regex.Match(html, "<table data-test=\"plan-steps\">.*?</table>", RegexOptions.Singleline).Value;
        var rules = Regex.Count(steps, "<tr><td");
        Assert.That(rules, Is.GreaterThan(6), "more rules than servers: the setting this prompt must not count");
        Assert.That(Regex.Count(steps, "mcp.dev.corp"), Is.GreaterThanOrEqualTo(2), "the everything server's name is a rule on both backends");
        // Six shadow servers in the seeded store: four legacy ones, "everything" and the hostile-path one; one legacy
        // server rests on shape alone, which the default policy does not block (select.bases).
        Assert.That(html, Does.Contain("Traffic to 5 endpoint(s) will be blocked.\""));
        Assert.That(html, Does.Contain(SeededFindings.ShapeKey + " (shape)"), "the plan names the finding it passed over and why");
        Assert.That(html, Does.Not.Contain("data-test=\"not-blockable\""), "the webhook can block every one of them");
    }
}
