using Microsoft.Playwright;
using ShadowMcp.Admin.Tests.Support;

namespace ShadowMcp.Admin.Tests.Browser;

/// <summary>
/// Base for the click-through tests: one admin host per fixture, a fresh browser context and page per test, and
/// screenshots kept as test attachments under the test output directory.
/// </summary>
internal abstract class BrowserTest
{
    private IBrowserContext? _context;
    private int _shots;

    protected AdminHost Host { get; private set; } = null!;
    protected IPage Page { get; private set; } = null!;
    /// <summary>Messages of JavaScript dialogs the page opened (alert/confirm), in order.</summary>
    protected List<string> Dialogs { get; } = [];
    /// <summary>What the next confirm() gets: true accepts, false dismisses.</summary>
    protected bool AcceptDialogs { get; set; } = true;

    private IReadOnlyList<Microsoft.Playwright.Cookie>? _signedIn;

    protected virtual bool NotConfigured => false;
    /// <summary>After the fixture's first login through the form, later tests reuse its session cookie (faster).</summary>
    protected virtual bool ReuseLogin => true;
    protected virtual int PageSize => 50;

    /// <summary>A real enforcer built from (directory, store path); null uses the fake.</summary>
    protected virtual Func<string, string, ShadowMcp.Admin.Sources.IEnforcementAdminSource>? Enforcer => null;

    [OneTimeSetUp]
    public async Task StartHostAsync() => Host = await CreateHostAsync();

    /// <summary>The fixture's host; a fixture that needs other settings (or other servers first) builds its own.</summary>
    protected virtual Task<AdminHost> CreateHostAsync() => AdminHost.StartAsync(NotConfigured, PageSize, enforcer: Enforcer);

    [OneTimeTearDown]
    public async Task StopHostAsync() => await Host.DisposeAsync();

    [SetUp]
    public async Task OpenPageAsync()
    {
        _context = await SharedBrowser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        // A hang guard only: pages load in well under a second, but a loaded CI machine can stall Chromium for seconds.
        _context.SetDefaultTimeout(60_000);
        Page = await _context.NewPageAsync();
        Dialogs.Clear();
        AcceptDialogs = true;
        _shots = 0;
        Page.Dialog += async (_, dialog) =>
        {
            Dialogs.Add(dialog.Message);
            if (AcceptDialogs) await dialog.AcceptAsync();
            else await dialog.DismissAsync();
        };
    }

    [TearDown]
    public async Task ClosePageAsync()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            await ScreenshotAsync("failure");
        if (_context is not null) await _context.CloseAsync();
    }

    protected async Task LoginAsync(string? returnPath = null)
    {
        if (ReuseLogin && _signedIn is not null)
        {
            await Page.Context.AddCookiesAsync(_signedIn);
            await Page.GotoAsync(Host.Url(returnPath ?? "/findings"));
            Assert.That(Page.Url, Does.Not.Contain("/login"), "the fixture's session should still be valid");
            return;
        }
        await Page.GotoAsync(Host.Url(returnPath ?? "/findings"));
        await Page.FillAsync("#token", AdminHost.Token);
        await Page.ClickAsync("button[type=submit]");
        // The login POST answers with a redirect; wait for the document it leads to to commit. A load-state wait raced
        // that navigation and hung for its whole timeout once in CI with the page already shown.
        await Page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal),
            new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        Assert.That(Page.Url, Does.Not.Contain("/login"), "login with the right token should leave the login page");
        _signedIn = [.. (await Page.Context.CookiesAsync()).Where(c => c.Name == "shadowmcp_admin").Select(c => new Microsoft.Playwright.Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        })];
    }

    protected async Task ScreenshotAsync(string step)
    {
        var dir = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        var safe = string.Concat(TestContext.CurrentContext.Test.Name.Select(c => char.IsLetterOrDigit(c) || c is '_' or '-' ? c : '_'));
        var path = Path.Combine(dir, $"{safe}-{++_shots:D2}-{step}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, step);
    }
}
