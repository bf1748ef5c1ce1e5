using System.Net;
using ShadowMcp.Admin.Tests.Support;

namespace ShadowMcp.Admin.Tests.Http;

/// <summary>
/// Every answer under the admin prefix, not only the HTML pages, carries the headers that stop sniffing, framing,
/// referrer leaks and caching: the CSV export and the JSON API hold hostile wire strings (a sniffing browser could
/// render them as HTML) and findings nobody should find in a shared cache. Pages also get a CSP that allows no inline
/// script, and the session cookie is HttpOnly and SameSite=Strict.
/// </summary>
[Category("Integration")]
internal sealed class SecurityHeadersTests
{
    private const string ViewerToken = "viewer-token-for-header-tests-1234";
    private AdminHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await AdminHost.StartAsync(configure: s =>
    {
        s["Admin:Users:0:Name"] = "vera";
        s["Admin:Users:0:Role"] = "viewer";
        s["Admin:Users:0:Token"] = ViewerToken;
    });

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [TestCase("GET", "/admin/findings.csv", AdminHost.Token, HttpStatusCode.OK)]
    [TestCase("GET", "/admin/api/findings", AdminHost.Token, HttpStatusCode.OK)]
    [TestCase("GET", "/admin/api/findings/1", AdminHost.Token, HttpStatusCode.OK)]
    [TestCase("GET", "/admin/api/findings", null, HttpStatusCode.Unauthorized)]
    [TestCase("GET", "/admin/findings", null, HttpStatusCode.Redirect)]
    [TestCase("GET", "/admin/", AdminHost.Token, HttpStatusCode.Redirect)]
    [TestCase("POST", "/admin/reports/generate", ViewerToken, HttpStatusCode.BadRequest)]
    [TestCase("GET", "/admin/login", null, HttpStatusCode.OK)]
    [TestCase("GET", "/admin/findings", AdminHost.Token, HttpStatusCode.OK)]
    public async Task EveryAnswer_CarriesTheBaseHeaders(string method, string path, string? bearer, HttpStatusCode status)
    {
        using var client = new AdminHttpClient(_host);
        using var response = method == "GET" ? await client.GetAsync(path, bearer) : await client.PostFormAsync(path, [], bearer);
        Assert.That(response.StatusCode, Is.EqualTo(status));
        AssertBaseHeaders(response, path);
    }

    [Test]
    public async Task ForbiddenAnswer_CarriesTheBaseHeadersAndSaysItIsText()
    {
        using var client = new AdminHttpClient(_host);
        var csrf = await client.CsrfFieldAsync("/admin/reports", ViewerToken);
        using var response = await client.PostFormAsync("/admin/reports/generate", [csrf, new("week", "2026-W47")], ViewerToken);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        AssertBaseHeaders(response, "403");
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
    }

    [Test]
    public async Task Page_CspAllowsNoInlineScriptOrStyleWithoutItsNonce()
    {
        using var client = new AdminHttpClient(_host);
        using var response = await client.GetAsync("/admin/findings", AdminHost.Token);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.Multiple(() =>
        {
            Assert.That(directives["default-src"], Is.EqualTo("default-src 'none'"));
            Assert.That(directives["script-src"], Does.Match("^script-src 'nonce-[A-Za-z0-9+/=]+'$"), "no unsafe-inline, no host sources");
            Assert.That(directives["style-src"], Does.Match("^style-src 'nonce-[A-Za-z0-9+/=]+'$"));
            Assert.That(directives["frame-ancestors"], Is.EqualTo("frame-ancestors 'none'"));
            Assert.That(directives["base-uri"], Is.EqualTo("base-uri 'none'"));
            Assert.That(directives["form-action"], Is.EqualTo("form-action 'self'"));
            Assert.That(directives.ContainsKey("object-src") || directives["default-src"] == "default-src 'none'", Is.True);
        });
    }

    [Test]
    public async Task SessionCookie_IsHttpOnlyStrictAndScopedToTheAdminPath()
    {
        using var client = new AdminHttpClient(_host);
        var csrf = await client.CsrfFieldAsync("/admin/login");
        using var response = await client.PostFormAsync("/admin/login", [csrf, new("token", AdminHost.Token), new("returnUrl", "/admin/findings")]);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("shadowmcp_admin=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Multiple(() =>
        {
            Assert.That(cookie, Does.Contain("httponly"));
            Assert.That(cookie, Does.Contain("samesite=strict"));
            Assert.That(cookie, Does.Contain("path=/admin"));
            Assert.That(cookie, Does.Not.Contain("domain="), "host-only");
        });
    }

    private static void AssertBaseHeaders(HttpResponseMessage response, string what)
    {
        string? One(string name) =>
            response.Headers.TryGetValues(name, out var v) ? string.Join(",", v)
            : response.Content.Headers.TryGetValues(name, out var c) ? string.Join(",", c) : null;
        Assert.Multiple(() =>
        {
            Assert.That(One("X-Content-Type-Options"), Is.EqualTo("nosniff"), what);
            Assert.That(One("X-Frame-Options"), Is.EqualTo("DENY"), what);
            Assert.That(One("Content-Security-Policy"), Does.Contain("frame-ancestors 'none'"), what);
            Assert.That(One("Referrer-Policy"), Is.EqualTo("no-referrer"), what);
            Assert.That(One("Cache-Control"), Is.EqualTo("no-store"), what);
        });
    }
}
