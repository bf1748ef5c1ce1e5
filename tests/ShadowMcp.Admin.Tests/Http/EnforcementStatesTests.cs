using System.Net;
using System.Text.RegularExpressions;
using ShadowMcp.Admin.Tests.Support;
using ShadowMcp.Cli.Hosting;

namespace ShadowMcp.Admin.Tests.Http;

/// <summary>
/// The enforcement page as it is, over HTTP, with the real enforcer (`serve --enforce-policy`) on two file backends
/// (a hosts file and a dnsmasq file, no reload) and a 12 h TTL: what is blocked per endpoint and backend, what a
/// rollback undid, the refusal of a second rollback, the confirm prompts, and the endpoints the backends cannot block.
/// </summary>
internal sealed partial class EnforcementStatesTests
{
    private const string Name = "mcp.dev.corp"; // the name the seeded "everything" server was reached by

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
            File.WriteAllText(policy,
                "version: 1\nselect:\n  verdicts: [shadow]\n  min_confidence: 0.5\nmode: block\nttl: 12h\nbackends:\n"
                + $"  - type: hosts\n    path: {hosts}\n  - type: dnsmasq\n    path: {Path.Combine(directory, "dnsmasq.conf")}\n");
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

    private async Task<string> PageAsync()
    {
        using var response = await _client.GetAsync("/admin/enforcement");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts the command's form with the page's anti-forgery token and one field (planId or actionId).</summary>
    private async Task<(HttpStatusCode Status, string Html)> PostAsync(string command, string? field = null, string? value = null)
    {
        var csrf = await _client.CsrfFieldAsync("/admin/enforcement");
        KeyValuePair<string, string>[] form = field is null ? [csrf] : [csrf, new(field, value!)];
        using var response = await _client.PostFormAsync("/admin/enforcement/" + command, form);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Plans and applies; returns the page after the apply.</summary>
    private async Task<string> BlockAsync()
    {
        var (planned, plan) = await PostAsync("plan");
        Assert.That(planned, Is.EqualTo(HttpStatusCode.OK), Result(plan));
        var planId = PlanId().Match(plan).Groups[1].Value;
        var (applied, html) = await PostAsync("apply", "planId", planId);
        Assert.That(applied, Is.EqualTo(HttpStatusCode.OK), Result(html));
        return html;
    }

    private static string Result(string html) => ResultNotice().Match(html).Groups[1].Value;

    private static List<string> ActionIds(string html) => [.. ActionRow().Matches(html).Select(m => m.Groups[1].Value)];

    private static string ActionRowOf(string html, string id) =>
        Regex.Match(html, $"<tr data-action=\"{id}\".*?</tr>", RegexOptions.Singleline).Value;

    [Test]
    public async Task Apply_CurrentlyBlockedShowsTheNameOnEachBackendWithTtlAndTheActionThatPutItThere()
    {
        Assert.That(await PageAsync(), Does.Contain("data-test=\"nothing-blocked\""));

        var html = await BlockAsync();

        Assert.That(html, Does.Contain("<p data-test=\"blocked-count\">1 endpoint(s) on 2 backend(s).</p>"));
        var rows = BlockedRow().Matches(html).Select(m => (Endpoint: m.Groups[1].Value, Backend: m.Groups[2].Value, Row: m.Value)).ToList();
        Assert.That(rows.Select(r => (r.Endpoint, r.Backend)), Is.EqualTo(new[] { (Name, "dnsmasq"), (Name, "hosts") }));
        foreach (var (_, backend, row) in rows)
        {
            Assert.That(row, Does.Contain("(in 12 h 0 min)</td>"), backend + ": the TTL and how long is left");
            Assert.That(row, Does.Contain("<td data-test=\"verification\">held</td>"), backend);
            var by = Regex.Match(row, "<a href=\"#action-(\\d+)\">action \\1</a>");
            Assert.That(by.Success, Is.True, backend + ": links the action that put it there\n" + row);
            var action = ActionRowOf(html, by.Groups[1].Value);
            Assert.That(WebUtility.HtmlDecode(action), Does.Contain($"<td class=\"mono\">+{Name}</td>"), "the action names what it blocked, not '+1 -0'");
            Assert.That(action, Does.Contain($"<td class=\"mono\">{backend}</td>"));
        }
    }

    [Test]
    public async Task Plan_ApplyPromptCountsEndpointsNotEndpointTimesBackend()
    {
        var (_, html) = await PostAsync("plan");

        var steps = PlanSteps().Match(html).Value;
        Assert.That(Regex.Count(steps, "<tr><td class=\"mono\">host:mcp.dev.corp</td>"), Is.EqualTo(2), "one name, a step on each of two backends");
        Assert.That(html, Does.Contain("Traffic to 1 endpoint(s) will be blocked."));
    }

    [Test]
    public async Task RollBack_BothBackendsActionsReadRolledBackWithoutAButtonAndNothingIsBlocked()
    {
        var blocked = await BlockAsync();
        var ids = ActionIds(blocked);
        Assert.That(ids, Has.Count.EqualTo(2));
        var first = ids.MinBy(long.Parse)!;
        Assert.That(ActionRowOf(blocked, first), Does.Contain(
            $"data-confirm=\"Roll back action {first} and every later action? 1 endpoint(s) change back: {Name}.\""),
            "the rollback prompt counts endpoints and says later actions go with it");

        var (status, html) = await PostAsync("rollback", "actionId", first);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), Result(html));
        Assert.That(Result(html), Does.Contain($"rolled back to before action {first}"));
        Assert.That(html, Does.Contain("data-test=\"nothing-blocked\""), "gone from currently blocked on both backends");
        foreach (var id in ids)
        {
            var row = ActionRowOf(html, id);
            Assert.That(row, Does.Contain("<td data-test=\"state\">rolled back</td>"), id);
            Assert.That(row, Does.Not.Contain("<form"), id + ": a rolled-back action offers no Roll back");
        }
        Assert.That(File.ReadAllText(Path.Combine(_host.Directory, "hosts")), Is.EqualTo("127.0.0.1 localhost\n"));
    }

    [Test]
    public async Task RollBack_AnActionAlreadyRolledBack_IsRefusedWithTheRollbackThatUndidIt()
    {
        var first = ActionIds(await BlockAsync()).MinBy(long.Parse)!;
        var (_, back) = await PostAsync("rollback", "actionId", first);
        var rollbackRows = RollbackRow().Matches(back).Select(m => m.Groups[1].Value).ToList();
        Assert.That(rollbackRows, Is.Not.Empty);
        var hostsFile = File.ReadAllText(Path.Combine(_host.Directory, "hosts"));

        var (status, html) = await PostAsync("rollback", "actionId", first);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(html, Does.Contain("class=\"notice error\""));
        Assert.That(Result(html), Does.Match($"^action {first} was already rolled back by action ({string.Join("|", rollbackRows)}) at .* UTC; nothing to undo$"));
        Assert.That(RollbackRow().Matches(html), Has.Count.EqualTo(rollbackRows.Count), "nothing more was logged");
        Assert.That(File.ReadAllText(Path.Combine(_host.Directory, "hosts")), Is.EqualTo(hostsFile));
    }

    [Test]
    public async Task AddressOnlyShadowServers_AreListedAsNotBlockableWithTheBackendsThatCould()
    {
        var html = await PageAsync();

        var rows = NotBlockableRow().Matches(html).Select(m => (Endpoint: System.Net.WebUtility.HtmlDecode(m.Groups[1].Value), Could: m.Groups[2].Value)).ToList();
        Assert.That(rows.Select(r => r.Endpoint), Is.EquivalentTo(
            new[] { SeededFindings.XssKey, "10.0.9.2:7000/mcp", "10.0.9.3:7000/mcp", "10.0.9.4:7000/mcp" }),
            "every shadow server without a name the policy selects; the one reached by a name is blockable, and the "
            + $"shape-only {SeededFindings.ShapeKey} is not selected (select.bases)");
        Assert.That(rows.Select(r => r.Could), Is.All.EqualTo("nftables or webhook"));
        Assert.That(html, Does.Contain("4 endpoint(s) are selected by the policy, but no configured backend can express them"));
        Assert.That(html, Does.Not.Contain("<img src=x"), "the hostile path stays text");
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"planId\" value=\"([^\"]+)\">")]
    private static partial Regex PlanId();

    [GeneratedRegex("data-test=\"result\">(.*?)</p>", RegexOptions.Singleline)]
    private static partial Regex ResultNotice();

    [GeneratedRegex("<tr data-action=\"(\\d+)\"[^>]*data-state=\"(?:applied|rolled-back)\"")]
    private static partial Regex ActionRow();

    [GeneratedRegex("<tr data-action=\"(\\d+)\"[^>]*data-state=\"rollback\"")]
    private static partial Regex RollbackRow();

    [GeneratedRegex("<tr data-endpoint=\"([^\"]+)\" data-backend=\"([^\"]+)\">.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex BlockedRow();

    [GeneratedRegex("<table data-test=\"plan-steps\">.*?</table>", RegexOptions.Singleline)]
    private static partial Regex PlanSteps();

    [GeneratedRegex("<tr data-endpoint=\"([^\"]+)\"><td class=\"mono\">[^<]*</td><td data-test=\"could\">([^<]*)</td></tr>")]
    private static partial Regex NotBlockableRow();
}
