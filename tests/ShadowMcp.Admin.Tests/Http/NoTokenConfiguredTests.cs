using System.Net;
using ShadowMcp.Admin.Tests.Support;

namespace ShadowMcp.Admin.Tests.Http;

/// <summary>With no admin token configured the UI still starts, says why, and lets nobody in.</summary>
[Category("Integration")]
internal sealed class NoTokenConfiguredTests
{
    [Test]
    public async Task Login_WithoutConfiguredTokenRefusesEveryone()
    {
        await using var host = await AdminHost.StartAsync(configure: s => s.Remove("Admin:AdminToken"));
        using var client = new AdminHttpClient(host);
        using var form = await client.GetAsync("/admin/login");
        Assert.That(await form.Content.ReadAsStringAsync(), Does.Contain("No admin token is configured"));

        var csrf = await client.CsrfFieldAsync("/admin/login");
        using var login = await client.PostFormAsync("/admin/login", [csrf, new("token", AdminHost.Token)]);
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using var api = await client.GetAsync("/admin/api/findings", bearer: AdminHost.Token);
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Login_WithTokenHashAcceptsTheToken()
    {
        await using var host = await AdminHost.StartAsync(configure: s =>
        {
            s.Remove("Admin:AdminToken");
            s["Admin:AdminTokenHash"] = Auth.AdminTokenVerifier.HashText(AdminHost.Token);
        });
        using var client = new AdminHttpClient(host);
        await client.LoginAsync();
        using var page = await client.GetAsync("/admin/findings");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
