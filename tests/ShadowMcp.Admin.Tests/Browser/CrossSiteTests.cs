using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using ShadowMcp.Admin.Tests.Support;

namespace ShadowMcp.Admin.Tests.Browser;

/// <summary>
/// A signed-in admin visits an attacker's page that posts a triage change to the admin UI: from another site
/// (127.0.0.2, where the SameSite=Strict cookie stays home) and from another origin on the same site (127.0.0.1 on
/// another port, where the browser does send the cookie and only the anti-forgery token stands in the way). Neither
/// may change anything. And the login form's returnUrl never leads off the admin's origin.
/// </summary>
[Category("Integration")]
internal sealed class CrossSiteTests : BrowserTest
{
    private const string Owner = "mallory-csrf";
    private WebApplication? _attacker;
    private string _attackerUrl = "";
    private string _sameSiteUrl = "";

    [OneTimeSetUp]
    public async Task StartAttackerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Parse("127.0.0.2"), 0);
            k.Listen(IPAddress.Loopback, 0);
        });
        _attacker = builder.Build();
        // The attack page: a form that posts itself, or a no-cors fetch with the browser's cookies.
        _attacker.MapGet("/{kind}", (string kind, HttpContext ctx) =>
        {
            var target = ctx.Request.Query["target"].ToString();
            var body = kind == "form"
                ? $"<form id=f method=post action=\"{WebUtility.HtmlEncode(target)}\"><input name=status value=under_review>"
                  + $"<input name=owner value={Owner}><input name=note value=csrf></form><script>document.getElementById('f').submit()</script>"
                : $"<script>fetch({System.Text.Json.JsonSerializer.Serialize(target)}, {{method: 'POST', mode: 'no-cors', credentials: 'include', "
                  + $"body: new URLSearchParams({{status: 'under_review', owner: '{Owner}', note: 'csrf'}})}})"
                  + ".then(() => document.title = 'sent', () => document.title = 'sent')</script>";
            return Results.Content("<!DOCTYPE html><html><head><title>win a prize</title></head><body>" + body + "</body></html>", "text/html");
        });
        await _attacker.StartAsync();
        var addresses = _attacker.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        _attackerUrl = addresses.Single(a => a.Contains("127.0.0.2", StringComparison.Ordinal)).TrimEnd('/');
        _sameSiteUrl = addresses.Single(a => a.Contains("127.0.0.1", StringComparison.Ordinal)).TrimEnd('/');
    }

    [OneTimeTearDown]
    public async Task StopAttackerAsync()
    {
        if (_attacker is null) return;
        await _attacker.StopAsync();
        await _attacker.DisposeAsync();
    }

    [TestCase("cross-site", "form")]
    [TestCase("cross-site", "fetch")]
    [TestCase("same-site", "form")]
    [TestCase("same-site", "fetch")]
    public async Task AttackerPage_PostsTriage_NothingChanges(string site, string kind)
    {
        await LoginAsync("/findings");
        var detail = await Page.Locator("table a.mono[href*='/findings/']").First.GetAttributeAsync("href");
        var target = Host.BaseUrl + detail + "/triage";
        var origin = site == "cross-site" ? _attackerUrl : _sameSiteUrl;
        var attack = $"{origin}/{kind}?target={Uri.EscapeDataString(target)}";

        if (kind == "form")
        {
            var response = await Page.RunAndWaitForResponseAsync(() => Page.GotoAsync(attack), r => r.Url == target);
            // Cross-site, the SameSite=Strict session cookie is not sent: 401. Same-site it is, and the missing
            // anti-forgery token is what refuses the post: 400.
            Assert.That(response.Status, Is.EqualTo(site == "cross-site" ? 401 : 400), $"the {site} post was answered {response.Status}");
        }
        else
        {
            await Page.GotoAsync(attack);
            await Page.WaitForFunctionAsync("() => document.title === 'sent'");
        }

        await Page.GotoAsync(Host.BaseUrl + detail);
        Assert.That(await Page.InnerTextAsync("[data-test=triage-owner]"), Is.Not.EqualTo(Owner), $"a {site} {kind} set the owner");
        Assert.That(await Page.InnerTextAsync("section[data-test=triage]"), Does.Not.Contain("csrf"), $"a {site} {kind} added a note");
    }

    [TestCase("//127.0.0.2/x")]
    [TestCase("/\\127.0.0.2/x")]
    [TestCase("https://127.0.0.2/x")]
    [TestCase("javascript:alert(1)")]
    [TestCase("/admin/..//127.0.0.2/x")]
    [TestCase("/admin/\t/127.0.0.2/x")]
    [TestCase("/admin/%2F%2F127.0.0.2/x")]
    [TestCase("/admin/..\\..\\/127.0.0.2")]
    [TestCase("\t//127.0.0.2/x")]
    [TestCase("/admin@127.0.0.2/x")]
    public async Task LoginReturnUrl_NeverLeavesTheAdminOrigin(string returnUrl)
    {
        await Page.GotoAsync(Host.Url("/login?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        await Page.FillAsync("#token", AdminHost.Token);
        await Page.ClickAsync("button[type=submit]");
        await Page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal), new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        Assert.That(new Uri(Page.Url).GetLeftPart(UriPartial.Authority), Is.EqualTo(Host.BaseUrl), $"{returnUrl} led to {Page.Url}");
        Assert.That(new Uri(Page.Url).AbsolutePath, Does.StartWith("/admin/"));
        Assert.That(Dialogs, Is.Empty);
    }
}
