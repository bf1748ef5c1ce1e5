using ShadowMcp.Tests;
using Microsoft.Playwright;

namespace ShadowMcp.Admin.Tests.Browser;

/// <summary>
/// One headless Chromium (Debian's /usr/bin/chromium, never Playwright's download) for the whole test run; each test
/// gets its own context, so cookies never leak between tests.
/// </summary>
[SetUpFixture]
[Category(ExternalTools.IntegrationCategory)]
internal sealed class SharedBrowser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static IPlaywright? _playwright;
    private static IBrowser? _browser;

    public static IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser is not started");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        ExternalTools.RequirePath(ChromiumPath, "Debian's Chromium", "apt-get install chromium");
        // Screenshots of this run only: a stale failure picture from an earlier run would mislead.
        var shots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        if (Directory.Exists(shots)) Directory.Delete(shots, recursive: true);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}
