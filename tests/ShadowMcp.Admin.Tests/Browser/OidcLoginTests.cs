using Microsoft.Playwright;
using ShadowMcp.Admin.Tests.Support;

namespace ShadowMcp.Admin.Tests.Browser;

/// <summary>
/// People sign in to the admin UI through a real OpenID Connect provider (oidc-provider on 127.0.0.1) in Chromium:
/// their group gives their role and their name goes into what they do; a person with no mapped group, a tampered
/// state or nonce and an ID token from another issuer are all refused and logged.
/// </summary>
[Category("Integration")]
internal sealed class OidcLoginTests : BrowserTest
{
    private readonly CapturedLogs _logs = new();
    private OidcProvider _provider = null!;
    private AdminHost _wrongIssuerHost = null!;
    private AdminHost _frontChannelHost = null!;
    private string _secretFile = null!;

    protected override bool ReuseLogin => false;

    protected override async Task<AdminHost> CreateHostAsync()
    {
        _provider = await OidcProvider.StartAsync();
        _secretFile = Path.Combine(Directory.CreateTempSubdirectory("shadowmcp-oidc-").FullName, "client-secret");
        await File.WriteAllTextAsync(_secretFile, OidcProvider.ClientSecret + "\n");
        var host = await AdminHost.StartAsync(configure: s => Oidc(s), logs: _logs);
        // Trusts the same provider but expects another issuer in the ID token, as if the provider were not the one meant.
        _wrongIssuerHost = await AdminHost.StartAsync(configure: s => Oidc(s, expectedIssuer: _provider.Issuer + "/elsewhere"), logs: _logs);
        // Without pushed authorization requests, state and nonce travel in the browser's URL, where a test can alter them.
        _frontChannelHost = await AdminHost.StartAsync(configure: s => Oidc(s, pushedAuthorization: "Disable"), logs: _logs);
        await _provider.RegisterClientAsync(
            host.BaseUrl + "/admin/signin-oidc", _wrongIssuerHost.BaseUrl + "/admin/signin-oidc", _frontChannelHost.BaseUrl + "/admin/signin-oidc");
        return host;
    }

    private void Oidc(Dictionary<string, string?> s, string? expectedIssuer = null, string pushedAuthorization = "UseIfAvailable")
    {
        s["Admin:Oidc:PushedAuthorization"] = pushedAuthorization;
        s["Admin:Oidc:Authority"] = _provider.Issuer;
        s["Admin:Oidc:Issuer"] = expectedIssuer;
        s["Admin:Oidc:ClientId"] = OidcProvider.ClientId;
        s["Admin:Oidc:ClientSecretFile"] = _secretFile;
        s["Admin:Oidc:DisplayName"] = "Corp SSO";
        foreach (var (scope, i) in new[] { "openid", "profile", "groups" }.Select((x, i) => (x, i)))
            s[$"Admin:Oidc:Scopes:{i}"] = scope;
        s["Admin:Oidc:RoleMappings:0:Value"] = OidcProvider.AnalystGroup;
        s["Admin:Oidc:RoleMappings:0:Role"] = "analyst";
        s["Admin:Oidc:RoleMappings:1:Value"] = OidcProvider.AdminGroup;
        s["Admin:Oidc:RoleMappings:1:Role"] = "admin";
    }

    [OneTimeTearDown]
    public async Task StopProviderAsync()
    {
        await _wrongIssuerHost.DisposeAsync();
        await _frontChannelHost.DisposeAsync();
        await _provider.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_secretFile)!, recursive: true);
    }

    [SetUp]
    public async Task OnlyLoopbackAsync()
    {
        _logs.Messages.Clear();
        // The provider's development pages import a web font; nothing leaves 127.0.0.1.
        await Page.Context.RouteAsync(url => !url.StartsWith("http://127.0.0.1:", StringComparison.Ordinal), route => route.AbortAsync());
    }

    [Test]
    public async Task Analyst_SignsInThroughProvider_ActsUnderTheirName()
    {
        await Page.GotoAsync(Host.Url("/findings?q=everything"));
        Assert.That(await Page.Locator("#token").CountAsync(), Is.EqualTo(1), "local tokens keep working beside OIDC");
        Assert.That(await Page.Locator("[data-test=oidc-login]").InnerTextAsync(), Is.EqualTo("Sign in with Corp SSO"));
        string? authorize = null;
        var issuer = _provider.Issuer;
        Page.Request += (_, r) => { if (r.Url.StartsWith(issuer + "/auth?", StringComparison.Ordinal)) authorize ??= r.Url; };
        await Page.ClickAsync("[data-test=oidc-login]");
        Assert.That(Page.Url, Does.StartWith(_provider.Issuer + "/"), "the browser goes to the provider");
        // The provider offers pushed authorization requests, so the browser carries only a reference to the request.
        Assert.That(authorize, Does.Match(@"/auth\?client_id=shadowmcp-admin&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A[^&]+$"));
        await ScreenshotAsync("provider-login");
        await ProviderSignInAsync("alice");
        await Page.WaitForURLAsync(Host.Url("/findings?q=everything"));
        Assert.That(await Page.Locator("[data-test=signed-in-as]").InnerTextAsync(), Is.EqualTo("alice (analyst)"));
        await ScreenshotAsync("signed-in");

        await Page.ClickAsync($"table[data-test=findings] a:text-is('{SeededFindings.EverythingKey}')");
        await Page.SelectOptionAsync("[data-test=triage-form] select[name=status]", "under_review");
        await Page.FillAsync("[data-test=triage-form] textarea[name=note]", "looking into it");
        await Page.ClickAsync("#triage-save");
        Assert.That(await Page.Locator("table[data-test=triage-history] tbody tr td:nth-child(2)").First.InnerTextAsync(), Is.EqualTo("alice"));

        // An analyst triages but does not enforce.
        await Page.GotoAsync(Host.Url("/enforcement"));
        var plan = await Page.RunAndWaitForResponseAsync(() => Page.ClickAsync("#plan"), r => r.Url.EndsWith("/enforcement/plan", StringComparison.Ordinal));
        Assert.That(plan.Status, Is.EqualTo(403));

        var log = Log();
        Assert.Multiple(() =>
        {
            Assert.That(log, Does.Contain("Admin alice (Analyst) signed in through OIDC from 127.0.0.1"));
            Assert.That(log, Does.Contain("Triage by alice: 1 of 1 finding(s) changed"));
            Assert.That(log, Does.Contain("Admin alice (Analyst) refused POST /admin/enforcement/plan: needs the Admin role"));
            Assert.That(log, Does.Not.Contain(OidcProvider.ClientSecret), "the client secret is never logged");
        });
        var cookies = await Page.Context.CookiesAsync();
        var session = cookies.Single(c => c.Name == "shadowmcp_admin");
        Assert.That(session.HttpOnly && session.SameSite == SameSiteAttribute.Strict && session.Path == "/admin", Is.True);
        Assert.That(cookies.Where(c => c.Name.StartsWith(".AspNetCore.OpenIdConnect.", StringComparison.Ordinal)
            || c.Name.StartsWith(".AspNetCore.Correlation.", StringComparison.Ordinal)), Is.Empty, "the sign-in's own cookies are gone");
    }

    [Test]
    public async Task PersonWithNoMappedGroup_IsRefusedAndAudited()
    {
        await StartSignInAsync(Host);
        var callback = await Page.RunAndWaitForResponseAsync(() => ProviderSignInAsync("carol"), IsCallback);
        Assert.That(callback.Status, Is.EqualTo(403), Log());
        Assert.That(await Page.Locator("[data-test=oidc-refused]").InnerTextAsync(), Does.Contain("carol is signed in at the provider, but has no role"));
        await ScreenshotAsync("refused");
        Assert.That(Log(), Does.Contain("Admin OIDC sign-in of carol from 127.0.0.1 refused: no 'groups' value is mapped to a role"));
        await AssertSignedOutAsync(Host);
    }

    [Test]
    public async Task TamperedState_IsRefused_TheUntouchedRequestIsNot()
    {
        var authorize = await AuthorizeRequestAsync(_frontChannelHost);
        Assert.Multiple(() =>
        {
            Assert.That(authorize, Does.Contain("response_type=code&"));
            Assert.That(authorize, Does.Contain("code_challenge_method=S256"), "PKCE");
            Assert.That(authorize, Does.Contain("&state=").And.Contain("&nonce="));
        });
        // The provider hands the state back as it got it, so the answer carries a state this admin UI never made.
        await Page.GotoAsync(ReplaceParameter(authorize, "state", Flip));
        var callback = await Page.RunAndWaitForResponseAsync(() => ProviderSignInAsync("alice"), IsCallback);
        Assert.That(callback.Status, Is.EqualTo(401), Log());
        Assert.That(await Page.Locator("[data-test=oidc-failed]").InnerTextAsync(), Does.Contain("state"));
        Assert.That(Log(), Does.Contain("Admin OIDC sign-in from 127.0.0.1 failed: the state was missing or did not verify"));
        Assert.That((await Page.Context.CookiesAsync()).Any(c => c.Name == "shadowmcp_admin"), Is.False);

        // The same request, untouched, signs in: the refusal was the tampering, not the setup.
        await Page.GotoAsync(authorize);
        await Page.WaitForURLAsync(_frontChannelHost.Url("/findings"));
        Assert.That(await Page.Locator("[data-test=signed-in-as]").InnerTextAsync(), Is.EqualTo("alice (analyst)"));
    }

    [Test]
    public async Task TamperedNonce_IsRefused()
    {
        var authorize = await AuthorizeRequestAsync(_frontChannelHost);
        await Page.GotoAsync(ReplaceParameter(authorize, "nonce", _ => "a-nonce-this-browser-never-made"));
        var callback = await Page.RunAndWaitForResponseAsync(() => ProviderSignInAsync("alice"), IsCallback);
        Assert.That(callback.Status, Is.EqualTo(401), Log());
        Assert.That(await Page.Locator("[data-test=oidc-failed]").InnerTextAsync(), Does.Contain("nonce"));
        Assert.That(Log(), Does.Contain("Admin OIDC sign-in from 127.0.0.1 failed: the nonce did not match this browser's sign-in"));
        await AssertSignedOutAsync(_frontChannelHost);
    }

    [Test]
    public async Task IdTokenFromAnotherIssuer_IsRefused()
    {
        await StartSignInAsync(_wrongIssuerHost);
        var callback = await Page.RunAndWaitForResponseAsync(() => ProviderSignInAsync("bob"), IsCallback);
        Assert.That(callback.Status, Is.EqualTo(401), Log());
        Assert.That(await Page.Locator("[data-test=oidc-failed]").InnerTextAsync(), Does.Contain("wrong issuer"));
        Assert.That(Log(), Does.Contain("Admin OIDC sign-in from 127.0.0.1 failed: the ID token came from the wrong issuer"));
        await AssertSignedOutAsync(_wrongIssuerHost);
    }

    [Test]
    public async Task Admin_SignsIn_LogoutEndsTheSession()
    {
        await StartSignInAsync(Host, "/enforcement");
        await ProviderSignInAsync("bob");
        await Page.WaitForURLAsync(Host.Url("/enforcement"));
        Assert.That(await Page.Locator("[data-test=signed-in-as]").InnerTextAsync(), Is.EqualTo("bob (admin)"));
        var session = (await Page.Context.CookiesAsync()).Single(c => c.Name == "shadowmcp_admin").Value;

        await Page.ClickAsync("header button:has-text('Log out')");
        Assert.That(Page.Url, Does.EndWith("/admin/login"));
        await AssertSignedOutAsync(Host);
        // The old session id is dead on the server too, not just dropped by the browser.
        await Page.Context.AddCookiesAsync([new Cookie { Name = "shadowmcp_admin", Value = session, Url = Host.BaseUrl + "/admin" }]);
        await Page.GotoAsync(Host.Url("/enforcement"));
        Assert.That(Page.Url, Does.Contain("/admin/login?returnUrl="));
    }

    private async Task StartSignInAsync(AdminHost host, string path = "/findings")
    {
        await Page.GotoAsync(host.Url(path));
        await Page.ClickAsync("[data-test=oidc-login]");
    }

    /// <summary>oidc-provider's own login and consent pages.</summary>
    private async Task ProviderSignInAsync(string who)
    {
        await Page.FillAsync("input[name=login]", who);
        await Page.FillAsync("input[name=password]", "any-password");
        await Page.ClickAsync("button:has-text('Sign-in')");
        await Page.ClickAsync("button:has-text('Continue')");
    }

    /// <summary>Starts a sign-in at <paramref name="host"/> and returns the authorization request the browser was sent to.</summary>
    private async Task<string> AuthorizeRequestAsync(AdminHost host)
    {
        string? authorize = null;
        var issuer = _provider.Issuer;
        Page.Request += (_, r) => { if (r.Url.StartsWith(issuer + "/auth?", StringComparison.Ordinal)) authorize ??= r.Url; };
        await StartSignInAsync(host);
        Assert.That(authorize, Is.Not.Null, "the browser should have been sent to the provider");
        return authorize!;
    }

    private async Task AssertSignedOutAsync(AdminHost host)
    {
        Assert.That((await Page.Context.CookiesAsync()).Any(c => c.Name == "shadowmcp_admin"), Is.False, "no session cookie");
        await Page.GotoAsync(host.Url("/findings"));
        Assert.That(Page.Url, Does.Contain("/admin/login?returnUrl="), "nobody is signed in");
    }

    private static bool IsCallbackUrl(string url) => new Uri(url).AbsolutePath == "/admin/signin-oidc";

    private static bool IsCallback(IResponse response) => IsCallbackUrl(response.Url);

    private static string Flip(string value)
    {
        var chars = value.ToCharArray();
        var i = chars.Length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    private static string ReplaceParameter(string url, string name, Func<string, string> change)
    {
        var uri = new Uri(url);
        var parts = uri.Query.TrimStart('?').Split('&').Select(p =>
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 || p[..eq] != name) return p;
            return name + "=" + Uri.EscapeDataString(change(Uri.UnescapeDataString(p[(eq + 1)..])));
        });
        return uri.GetLeftPart(UriPartial.Path) + "?" + string.Join("&", parts);
    }

    private string Log() => string.Join("\n", _logs.Messages.Select(m => m.Message));
}
