using System.Net;
using ShadowMcp.Admin.Tests.Support;

namespace ShadowMcp.Admin.Tests.Http;

/// <summary>Without Admin:Oidc:ClientId there is no single sign-on: no link, no route, and token logins work as before.</summary>
[Category("Integration")]
internal sealed class OidcOffTests
{
    [Test]
    public async Task NoClientId_NoSignOnLinkOrRoute_TokensStillWork()
    {
        await using var host = await AdminHost.StartAsync();
        using var client = new AdminHttpClient(host);
        using var form = await client.GetAsync("/admin/login");
        Assert.That(await form.Content.ReadAsStringAsync(), Does.Not.Contain("data-test=\"oidc-login\""));
        using var start = await client.GetAsync("/admin/login/oidc");
        Assert.That(start.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var callback = await client.GetAsync("/admin/signin-oidc?code=x&state=y");
        Assert.That(callback.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK), "the callback path is an unknown page behind the guard");

        var csrf = await client.CsrfFieldAsync("/admin/login");
        using var login = await client.PostFormAsync("/admin/login", [csrf, new("token", AdminHost.Token)]);
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task OidcOnly_LoginPageOffersSignOnWithoutTheNoTokenWarning()
    {
        await using var host = await AdminHost.StartAsync(configure: s =>
        {
            s.Remove("Admin:AdminToken");
            s["Admin:Oidc:Authority"] = "https://idp.corp.example";
            s["Admin:Oidc:ClientId"] = "shadowmcp-admin";
            s["Admin:Oidc:ClientSecret"] = "from-the-environment";
            s["Admin:Oidc:RoleMappings:0:Value"] = "secops";
            s["Admin:Oidc:RoleMappings:0:Role"] = "analyst";
        });
        using var client = new AdminHttpClient(host);
        using var form = await client.GetAsync("/admin/login");
        var html = await form.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("Sign in with single sign-on"));
        Assert.That(html, Does.Not.Contain("No admin token is configured"));
    }
}
