using System.Net;
using ShadowMcp.Admin.Tests.Support;

namespace ShadowMcp.Admin.Tests.Http;

/// <summary>Default deny, the API's 401, bearer access, and anti-forgery on every POST, checked over plain HTTP.</summary>
[Category("Integration")]
internal sealed class AccessControlTests
{
    private AdminHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await AdminHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [TestCase("/admin/findings")]
    [TestCase("/admin/findings/1")]
    [TestCase("/admin/reports")]
    [TestCase("/admin/enforcement")]
    [TestCase("/admin/no-such-page")]
    [TestCase("/admin/")]
    public async Task Page_UnauthenticatedRedirectsToLogin(string path)
    {
        using var client = new AdminHttpClient(_host);
        using var response = await client.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo("/admin/login?returnUrl=" + Uri.EscapeDataString(path)));
    }

    [Test]
    public async Task Api_UnauthenticatedOrWrongBearerGets401()
    {
        using var client = new AdminHttpClient(_host);
        using var anonymous = await client.GetAsync("/admin/api/findings");
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(anonymous.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
        using var wrong = await client.GetAsync("/admin/api/findings", bearer: AdminHost.Token + "x");
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using var page = await client.GetAsync("/admin/findings", bearer: "short");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task Api_BearerTokenReadsFilteredFindings()
    {
        using var client = new AdminHttpClient(_host);
        using var response = await client.GetAsync("/admin/api/findings?verdict=shadow&q=everything", bearer: AdminHost.Token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(json.RootElement.GetProperty("total").GetInt32(), Is.EqualTo(1));
        var row = json.RootElement.GetProperty("findings")[0];
        Assert.That(row.GetProperty("endpointKey").GetString(), Is.EqualTo(SeededFindings.EverythingKey));

        using var detail = await client.GetAsync("/admin/api/findings/" + row.GetProperty("id").GetInt64(), bearer: AdminHost.Token);
        using var doc = System.Text.Json.JsonDocument.Parse(await detail.Content.ReadAsStringAsync());
        Assert.That(doc.RootElement.GetProperty("evidence").GetArrayLength(), Is.EqualTo(2));
        Assert.That(doc.RootElement.GetProperty("server").GetProperty("name").GetString(), Is.EqualTo("everything"));
    }

    [Test]
    public async Task Post_WithoutAntiforgeryTokenIsRejectedEvenWhenSignedIn()
    {
        using var client = new AdminHttpClient(_host);
        await client.LoginAsync();
        var before = _host.Enforcement!.PlanCalls;

        using var missing = await client.PostFormAsync("/admin/enforcement/plan", []);
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var forged = await client.PostFormAsync("/admin/enforcement/plan", [new("__RequestVerificationToken", "forged")]);
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var bearerOnly = await client.PostFormAsync("/admin/enforcement/plan", [], bearer: AdminHost.Token);
        Assert.That(bearerOnly.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(_host.Enforcement.PlanCalls, Is.EqualTo(before), "no rejected POST reached the enforcer");

        // The same POST with the page's token goes through: the rejection above was the missing token, nothing else.
        var csrf = await client.CsrfFieldAsync("/admin/enforcement");
        using var valid = await client.PostFormAsync("/admin/enforcement/plan", [csrf]);
        Assert.That(valid.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_host.Enforcement.PlanCalls, Is.EqualTo(before + 1));
    }

    [Test]
    public async Task Post_UnauthenticatedGets401AndDoesNothing()
    {
        using var client = new AdminHttpClient(_host);
        var before = _host.Enforcement!.RollbackCalls;
        using var response = await client.PostFormAsync("/admin/enforcement/rollback", [new("actionId", "act-1")]);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(_host.Enforcement.RollbackCalls, Is.EqualTo(before));
    }

    [Test]
    public async Task Login_WithoutAntiforgeryTokenIsRejected()
    {
        using var client = new AdminHttpClient(_host);
        using var response = await client.PostFormAsync("/admin/login", [new("token", AdminHost.Token)]);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(client.Cookies.GetAllCookies().Any(c => c.Name == "shadowmcp_admin"), Is.False);
    }

    [Test]
    public async Task Login_ReturnUrlOutsideTheAdminIsNotFollowed()
    {
        using var client = new AdminHttpClient(_host);
        var csrf = await client.CsrfFieldAsync("/admin/login");
        using var response = await client.PostFormAsync("/admin/login", [csrf, new("token", AdminHost.Token), new("returnUrl", "//evil.example/admin/x")]);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo("/admin/findings"));
    }

    [Test]
    public async Task Pages_CarryStrictSecurityHeaders()
    {
        using var client = new AdminHttpClient(_host);
        using var response = await client.GetAsync("/admin/findings", bearer: AdminHost.Token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.That(csp, Does.Contain("default-src 'none'").And.Contain("frame-ancestors 'none'").And.Contain("script-src 'nonce-"));
        Assert.That(response.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "DENY" }));
        Assert.That(response.Headers.CacheControl!.NoStore, Is.True);
    }

    [TestCase("..%2Fstore.db")]
    [TestCase("report-..%2F..%2Fstore.db")]
    [TestCase("store.db")]
    [TestCase("report-2026-W47.exe")]
    public async Task ReportFile_NameOutsideThePatternIsNotFound(string name)
    {
        using var client = new AdminHttpClient(_host);
        using var response = await client.GetAsync("/admin/reports/file/" + name, bearer: AdminHost.Token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task ReportFile_IsServedSandboxed()
    {
        Directory.CreateDirectory(_host.ReportsDirectory);
        await File.WriteAllTextAsync(Path.Combine(_host.ReportsDirectory, "report-2026-W01.html"), "<html><body><script>alert(1)</script>hi</body></html>");
        using var client = new AdminHttpClient(_host);
        using var response = await client.GetAsync("/admin/reports/file/report-2026-W01.html", bearer: AdminHost.Token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.That(csp, Does.Contain("sandbox").And.Contain("default-src 'none'").And.Not.Contain("script-src"));
    }
}
