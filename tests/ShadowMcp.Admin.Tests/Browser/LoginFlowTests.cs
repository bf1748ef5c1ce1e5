using Microsoft.Playwright;
using ShadowMcp.Admin.Tests.Support;

namespace ShadowMcp.Admin.Tests.Browser;

[Category("Integration")]
internal sealed class LoginFlowTests : BrowserTest
{
    protected override bool ReuseLogin => false;

    [Test]
    public async Task Login_WrongTokenRejectedThenRightTokenAccepted()
    {
        var response = await Page.GotoAsync(Host.Url("/findings"));
        Assert.That(Page.Url, Does.Contain("/admin/login?returnUrl="), "an unauthenticated page visit goes to the login form");
        Assert.That(response!.Status, Is.EqualTo(200));
        await ScreenshotAsync("login-form");

        await Page.FillAsync("#token", "not-the-token-at-all-000");
        await Page.ClickAsync("button[type=submit]");
        Assert.That(await Page.Locator(".notice.error").InnerTextAsync(), Is.EqualTo("That token is not valid."));
        Assert.That(Page.Url, Does.EndWith("/admin/login"));
        await ScreenshotAsync("wrong-token");

        await Page.FillAsync("#token", AdminHost.Token);
        await Page.ClickAsync("button[type=submit]");
        Assert.That(Page.Url, Does.EndWith("/admin/findings"));
        Assert.That(await Page.Locator("h1").InnerTextAsync(), Is.EqualTo("Findings"));
    }

    [Test]
    public async Task Login_ReturnsToThePageFirstAskedFor()
    {
        await LoginAsync("/audit");
        Assert.That(Page.Url, Does.EndWith("/admin/audit"));
        Assert.That(await Page.Locator("h1").InnerTextAsync(), Is.EqualTo("Audit log"));
    }

    [Test]
    public async Task Login_CookieIsHttpOnlyStrictSessionIdNotToken()
    {
        await LoginAsync();
        var cookies = await Page.Context.CookiesAsync();
        var session = cookies.Single(c => c.Name == "shadowmcp_admin");
        Assert.Multiple(() =>
        {
            Assert.That(session.HttpOnly, Is.True);
            Assert.That(session.SameSite, Is.EqualTo(SameSiteAttribute.Strict));
            Assert.That(session.Path, Is.EqualTo("/admin"));
            Assert.That(session.Value, Does.Not.Contain(AdminHost.Token));
            Assert.That(session.Value, Has.Length.GreaterThanOrEqualTo(40));
        });
    }

    [Test]
    public async Task Logout_EndsTheSession()
    {
        await LoginAsync();
        await Page.ClickAsync("header button:has-text('Log out')");
        Assert.That(Page.Url, Does.EndWith("/admin/login"));
        await Page.GotoAsync(Host.Url("/enforcement"));
        Assert.That(Page.Url, Does.Contain("/admin/login?returnUrl="));
    }
}
