using System.Net;
using System.Text.RegularExpressions;
using ShadowMcp.Admin.Tests.Support;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Admin.Tests.Http;

/// <summary>
/// Triage from the finding page and the list, over HTTP on the seeded store: each action, hostile notes and owners,
/// the anti-forgery and login guard, bulk on a filter, history order, and the actor in the log.
/// </summary>
internal sealed partial class TriageTests
{
    private const string Hostile = "</td><script>alert(9)</script><img src=x onerror=alert(10)>";

    private AdminHost _host = null!;
    private AdminHttpClient _client = null!;
    private CapturedLogs _logs = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _logs = new CapturedLogs();
        _host = await AdminHost.StartAsync(logs: _logs);
        _client = new AdminHttpClient(_host);
        await _client.LoginAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        _logs.Dispose();
    }

    private ShadowMcpDbContext Store() => ShadowMcpDbContext.Open(Path.Combine(_host.Directory, "store.db"));

    private long IdOf(string key)
    {
        using var db = Store();
        return db.Findings.Single(f => f.EndpointKey == key).Id;
    }

    private async Task<(HttpStatusCode Status, string Html)> PostAsync(string path, params (string Name, string Value)[] fields)
    {
        var csrf = await _client.CsrfFieldAsync("/admin/findings");
        using var response = await _client.PostFormAsync(path, [csrf, .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Status(string html) => StatusAttr().Match(html).Groups[1].Value;

    [Test]
    public async Task Save_StatusOwnerAndNote_ShowsStateAndHistoryNewestFirst()
    {
        var url = $"/admin/findings/{IdOf(SeededFindings.EverythingKey)}";
        var (s1, _) = await PostAsync(url + "/triage", ("status", "under_review"), ("owner", "alice"));
        Assert.That(s1, Is.EqualTo(HttpStatusCode.OK));
        var (s2, html) = await PostAsync(url + "/triage", ("status", "keep"), ("note", "second entry"));
        Assert.That(s2, Is.EqualTo(HttpStatusCode.OK));

        Assert.That(Status(html), Is.EqualTo("under_review"));
        Assert.That(html, Does.Contain("data-test=\"triage-owner\">alice<"));
        var rows = HistoryRow().Matches(html).Select(m => WebUtility.HtmlDecode(m.Value)).ToList();
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0], Does.Contain("second entry"), "newest first");
        Assert.That(rows[1], Does.Contain("new → under review").And.Contain("nobody → alice").And.Contain("admin-ui"));
    }

    [Test]
    public async Task HostileNoteAndOwner_StayText()
    {
        var url = $"/admin/findings/{IdOf(SeededFindings.EverythingKey)}";
        var (status, html) = await PostAsync(url + "/triage", ("status", "under_review"), ("owner", Hostile), ("note", Hostile + "\nline two"));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Not.Contain("<script>alert(9)").And.Not.Contain("<img src=x"));
        Assert.That(html, Does.Contain("&lt;script&gt;alert(9)&lt;/script&gt;"));
        using var list = await _client.GetAsync("/admin/findings?status=under_review");
        var listHtml = await list.Content.ReadAsStringAsync();
        Assert.That(listHtml, Does.Not.Contain("<script>alert(9)").And.Contain("&lt;script&gt;alert(9)"));
    }

    [Test]
    public async Task ForgedOrMissingAntiforgery_RefusedAndNothingRecorded()
    {
        var url = $"/admin/findings/{IdOf(SeededFindings.EverythingKey)}";
        await _client.CsrfFieldAsync("/admin/findings"); // the cookie half is present, the form half is forged or absent
        using var forged = await _client.PostFormAsync(url + "/sanction", [new("__RequestVerificationToken", "forged")]);
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var missing = await _client.PostFormAsync("/admin/findings/bulk", [new("scope", "filter"), new("status", "approved")]);
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var anonymous = new AdminHttpClient(_host);
        using var signedOut = await anonymous.PostFormAsync(url + "/block", [new("note", "x")]);
        Assert.That(signedOut.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using var db = Store();
        Assert.That(db.FindingTriageHistory.Count(), Is.Zero);
        Assert.That(_host.Enforcement!.PlanCalls, Is.Zero);
    }

    [Test]
    public async Task MarkSanctioned_FindingBecomesSanctionedInPageAndList()
    {
        var (status, html) = await PostAsync($"/admin/findings/{IdOf(SeededFindings.EverythingKey)}/sanction");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Status(html), Is.EqualTo("approved"));
        Assert.That(html, Does.Contain("class=\"badge v-sanctioned\">sanctioned<"));
        Assert.That(html, Does.Contain("approved in triage by admin-ui"));
        using var list = await _client.GetAsync("/admin/api/findings?verdict=sanctioned&status=approved");
        var json = await list.Content.ReadAsStringAsync();
        Assert.That(json, Does.Contain(SeededFindings.EverythingKey));
    }

    [Test]
    public async Task AddException_MarksFalsePositiveAndKeepsTheRulesVerdict()
    {
        var (status, html) = await PostAsync($"/admin/findings/{IdOf(SeededFindings.EverythingKey)}/exception", ("note", "lab harness"));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Status(html), Is.EqualTo("false_positive"));
        Assert.That(html, Does.Contain("class=\"badge v-shadow\">shadow<"));
        using var db = Store();
        Assert.That(TriageLedger.Decisions(db).NeverBlock, Does.Contain(SeededFindings.EverythingKey));
    }

    [Test]
    public async Task Block_MarksBlockedAndPlansThroughTheEnforcer()
    {
        var (status, html) = await PostAsync($"/admin/findings/{IdOf(SeededFindings.EverythingKey)}/block");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_host.Enforcement!.PlanCalls, Is.EqualTo(1));
        Assert.That(_host.Enforcement.ApplyCalls, Is.Zero, "Block plans; applying stays the admin's step");
        Assert.That(html, Does.Contain("<h1>Enforcement</h1>").And.Contain("id=\"apply\""));
        Assert.That(html, Does.Contain("is marked blocked"));
        using var db = Store();
        Assert.That(TriageLedger.Get(db, SeededFindings.EverythingKey).Status, Is.EqualTo("blocked"));
    }

    [Test]
    public async Task Bulk_SelectedRows_SetStatusAndOwner()
    {
        var (status, html) = await PostAsync("/admin/findings/bulk", ("scope", "selected"), ("key", SeededFindings.EverythingKey),
            ("key", SeededFindings.XssKey), ("status", "under_review"), ("owner", "bob"));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("on 2 findings"));
        using var db = Store();
        Assert.That(db.FindingTriage.Where(t => t.Owner == "bob" && t.Status == "under_review").Select(t => t.EndpointKey),
            Is.EquivalentTo(new[] { SeededFindings.EverythingKey, SeededFindings.XssKey }));
    }

    [Test]
    public async Task Bulk_KeyThatIsNoFinding_IsIgnored()
    {
        var (status, html) = await PostAsync("/admin/findings/bulk", ("scope", "selected"), ("key", "evil.example/not-seen"), ("status", "approved"));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(html, Does.Contain("No findings were selected."));
        using var db = Store();
        Assert.That(db.FindingTriage.Count(), Is.Zero);
    }

    [Test]
    public async Task Bulk_AllMatchingTheFilter_ChangesExactlyThose()
    {
        var (status, html) = await PostAsync("/admin/findings/bulk?verdict=shadow&q=legacy", ("scope", "filter"), ("owner", "carol"));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain($"on {SeededFindings.OldShadowCount} findings"));
        using (var db = Store())
        {
            Assert.That(db.FindingTriage.Count(t => t.Owner == "carol"), Is.EqualTo(SeededFindings.OldShadowCount));
            Assert.That(db.FindingTriage.All(t => t.Status == "new"), Is.True, "owner only: the status is kept");
        }
        using var list = await _client.GetAsync("/admin/findings?status=new&q=legacy");
        Assert.That(await list.Content.ReadAsStringAsync(), Does.Contain($"{SeededFindings.OldShadowCount} findings match"));
    }

    [Test]
    public async Task CsvExport_CarriesStatusAndDefusedOwner()
    {
        await PostAsync($"/admin/findings/{IdOf(SeededFindings.EverythingKey)}/triage", ("status", "under_review"), ("owner", "=HYPERLINK(\"x\")"));
        using var response = await _client.GetAsync("/admin/findings.csv?q=everything");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.EndWith(",triage_status,owner,basis,bases"));
        Assert.That(lines[1], Does.EndWith(",under_review,\"'=HYPERLINK(\"\"x\"\")\",content,content other"));
    }

    [Test]
    public async Task Bulk_FilterThatDoesNotParse_ChangesNothing()
    {
        var (status, html) = await PostAsync("/admin/findings/bulk?verdict=bogus", ("scope", "filter"), ("status", "blocked"));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(html, Does.Contain("nothing was changed"));
        using var db = Store();
        Assert.That(db.FindingTriage.Count(), Is.Zero);
    }

    [Test]
    public async Task EveryAction_IsLoggedWithTheActor()
    {
        await PostAsync($"/admin/findings/{IdOf(SeededFindings.SuspectedKey)}/triage", ("status", "blocked"));
        Assert.That(_logs.Messages.Select(m => m.Message), Has.Some.StartsWith("Triage by admin-ui: 1 of 1 finding(s) changed; status blocked"));
    }

    [Test]
    public async Task StatusFilter_ListsOnlyThatStatus()
    {
        await PostAsync($"/admin/findings/{IdOf(SeededFindings.SuspectedKey)}/triage", ("status", "under_review"));
        using var list = await _client.GetAsync("/admin/findings?status=under_review");
        var html = await list.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("1 finding match"));
        Assert.That(html, Does.Contain("data-test=\"status\">under review<"));
    }

    [Test]
    public async Task StatusCounts_CountEveryStatusAndLinkToTheFilter()
    {
        await PostAsync("/admin/findings/bulk?q=legacy", ("scope", "filter"), ("status", "under_review"));
        await PostAsync($"/admin/findings/{IdOf(SeededFindings.EverythingKey)}/block");
        using var list = await _client.GetAsync("/admin/findings?status=under_review");
        var html = await list.Content.ReadAsStringAsync();
        var counts = StatusCount().Matches(html).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(counts, Is.EqualTo(new Dictionary<string, int>
        {
            ["new"] = SeededFindings.Total - SeededFindings.OldShadowCount - 1, ["under_review"] = SeededFindings.OldShadowCount,
            ["approved"] = 0, ["blocked"] = 1, ["false_positive"] = 0,
        }));
        Assert.That(html, Does.Contain("class=\"current\" data-status=\"under_review\""));
    }

    [GeneratedRegex("data-status=\"([a-z_]+)\" href=\"[^\"]*\">[^<]*: <span class=\"n\">(\\d+)</span>")]
    private static partial Regex StatusCount();

    [GeneratedRegex("data-test=\"triage-status\" data-status=\"([a-z_]+)\"")]
    private static partial Regex StatusAttr();

    [GeneratedRegex("<tr data-event=.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex HistoryRow();
}
