using Microsoft.Playwright;

namespace ShadowMcp.Admin.Tests.Browser;

[Category("Integration")]
internal sealed class ReportsPageTests : BrowserTest
{
    [SetUp]
    public Task SignInAsync() => LoginAsync("/reports");

    [Test]
    public async Task Generate_WritesAllFormatsAndTheViewerShowsTheReport()
    {
        await Page.FillAsync("#week", "2026-W47");
        await Page.ClickAsync("button:has-text('Generate now')");
        Assert.That(await Page.Locator(".notice.ok").InnerTextAsync(),
            Is.EqualTo("Generated report-2026-W47.html, report-2026-W47.md, report-2026-W47.csv, report-2026-W47.json."));
        var files = await Page.Locator("table[data-test=reports] tbody tr td:first-child").AllInnerTextsAsync();
        Assert.That(files, Is.EquivalentTo(new[] { "report-2026-W47.html", "report-2026-W47.md", "report-2026-W47.csv", "report-2026-W47.json" }));
        Assert.That(File.Exists(Path.Combine(Host.ReportsDirectory, "report-2026-W47.json")), Is.True);
        await ScreenshotAsync("reports-list");

        await Page.ClickAsync("a:text-is('View')");
        Assert.That(Page.Url, Does.EndWith("/admin/reports/view/report-2026-W47.html"));
        var iframe = Page.Locator("iframe.report");
        Assert.That(await iframe.GetAttributeAsync("sandbox"), Is.EqualTo(""), "sandboxed with no permissions");
        var report = Page.FrameLocator("iframe.report");
        await Assertions.Expect(report.Locator("body")).ToContainTextAsync("2026-W47");
        Assert.That(await report.Locator("body").InnerTextAsync(), Does.Contain("everything").And.Contain("10.0.0.5:8123/mcp"));
        await ScreenshotAsync("report-viewer");
    }

    [Test]
    public async Task Generate_WeekThatDoesNotExistShowsTheError()
    {
        await Page.FillAsync("#week", "2027-W53");
        await Page.ClickAsync("button:has-text('Generate now')");
        Assert.That(await Page.Locator(".notice.error").InnerTextAsync(), Does.Contain("'2027-W53' does not exist"));
        Assert.That(await Page.InputValueAsync("#week"), Is.EqualTo("2027-W53"));
    }
}
