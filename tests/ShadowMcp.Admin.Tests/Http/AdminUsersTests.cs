using System.Net;
using ShadowMcp.Admin.Tests.Support;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Admin.Tests.Http;

/// <summary>
/// People, not a shared token: named users with their own tokens and roles. A viewer reads and changes nothing, an
/// analyst triages (recorded under their name) but cannot touch enforcement or reports, an admin can; the shared
/// token still signs in as "admin-ui". Refusals are 403 and change nothing.
/// </summary>
internal sealed class AdminUsersTests
{
    private const string ViewerToken = "viewer-token-0123456789abcdef"; // DevSkim: ignore DS173237
    private const string AnalystToken = "analyst-token-0123456789abcdef"; // DevSkim: ignore DS173237
    private const string AdminToken = "admin-token-0123456789abcdef"; // DevSkim: ignore DS173237

    private AdminHost _host = null!;
    private AdminHttpClient _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _host = await AdminHost.StartAsync(configure: s =>
        {
            void User(int i, string name, string role, string token)
            {
                s[$"Admin:Users:{i}:Name"] = name;
                s[$"Admin:Users:{i}:Role"] = role;
                // One user by hash, so the settings file need not hold the token itself.
                s[i == 2 ? $"Admin:Users:{i}:TokenHash" : $"Admin:Users:{i}:Token"] =
                    i == 2 ? Admin.Auth.AdminTokenVerifier.HashText(token) : token;
            }
            User(0, "vera", "viewer", ViewerToken);
            User(1, "alice", "analyst", AnalystToken);
            User(2, "adam", "admin", AdminToken);
        });
        _client = new AdminHttpClient(_host);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private ShadowMcpDbContext Store() => ShadowMcpDbContext.Open(Path.Combine(_host.Directory, "store.db"));

    private string TriageUrl()
    {
        using var db = Store();
        return $"/admin/findings/{db.Findings.Single(f => f.EndpointKey == SeededFindings.EverythingKey).Id}/triage";
    }

    private async Task<HttpStatusCode> PostAsync(string path, string bearer, params (string Name, string Value)[] fields)
    {
        var csrf = await _client.CsrfFieldAsync("/admin/findings", bearer);
        using var response = await _client.PostFormAsync(path,
            [csrf, .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))], bearer);
        return response.StatusCode;
    }

    private List<string> HistoryActors()
    {
        using var db = Store();
        return [.. db.Set<FindingTriageEventRow>().OrderBy(e => e.Id).Select(e => e.Actor)];
    }

    [Test]
    public async Task Viewer_ReadsButCannotTriage()
    {
        using (var page = await _client.GetAsync("/admin/findings", ViewerToken))
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await PostAsync(TriageUrl(), ViewerToken, ("status", "under_review")), Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(HistoryActors(), Is.Empty, "a refused decision changes nothing");
    }

    [Test]
    public async Task Analyst_TriagesUnderTheirName_ButCannotEnforceOrGenerateReports()
    {
        Assert.That(await PostAsync(TriageUrl(), AnalystToken, ("status", "under_review"), ("owner", "alice")), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(HistoryActors(), Is.EqualTo(new[] { "alice" }));
        Assert.That(await PostAsync("/admin/enforcement/plan", AnalystToken), Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await PostAsync("/admin/reports/generate", AnalystToken, ("week", "2026-W47")), Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Admin_MayChangeEverything_AndTheSharedTokenIsStillAdminUi()
    {
        Assert.That(await PostAsync("/admin/reports/generate", AdminToken, ("week", "2026-W47")), Is.Not.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await PostAsync(TriageUrl(), AdminToken, ("status", "under_review")), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await PostAsync(TriageUrl(), AdminHost.Token, ("status", "new")), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(HistoryActors(), Is.EqualTo(new[] { "adam", "admin-ui" }));
    }

    [Test]
    public async Task UnknownToken_IsNobody()
    {
        using var api = await _client.GetAsync("/admin/api/findings", "someone-elses-token-0123456789");
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
