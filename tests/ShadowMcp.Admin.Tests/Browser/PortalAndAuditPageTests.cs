using ShadowMcp.Admin.Tests.Support;

namespace ShadowMcp.Admin.Tests.Browser;

[Category("Integration")]
internal sealed class PortalAndAuditPageTests : BrowserTest
{
    [Test]
    public async Task Audit_ShowsIntactChainAndEntriesNewestFirst()
    {
        await LoginAsync("/audit");
        Assert.That(await Page.Locator("[data-test=chain-status]").InnerTextAsync(),
            Is.EqualTo("Chain verified: intact. 7 entries. Every entry links to the one before it."));
        var sequences = await Page.Locator("table[data-test=audit] tbody tr td:first-child").AllInnerTextsAsync();
        Assert.That(sequences, Is.EqualTo(new[] { "7", "6", "5", "4", "3", "2", "1" }));
        Assert.That(await Page.Locator("table[data-test=audit] tbody tr").First.Locator("td").Nth(2).InnerTextAsync(), Is.EqualTo(FakePortalSource.HostileActor));
        Assert.That(await Page.Locator("main b").CountAsync(), Is.Zero);
        await ScreenshotAsync("audit");
    }

    [Test]
    public async Task Audit_BrokenChainIsShownAsFailed()
    {
        Host.Portal!.ChainIntact = false;
        try
        {
            await LoginAsync("/audit");
            var status = Page.Locator("[data-test=chain-status]");
            Assert.That(await status.InnerTextAsync(), Does.StartWith("Chain verification FAILED.").And.Contain("Entry 4: hash does not match"));
            Assert.That(await status.GetAttributeAsync("class"), Does.Contain("error"));
        }
        finally
        {
            Host.Portal.ChainIntact = true;
        }
    }

    [Test]
    public async Task Portal_ShowsServersToolsAndPolicies()
    {
        await LoginAsync("/portal");
        Assert.That(await Page.Locator("table[data-test=servers] tbody tr td:first-child").AllInnerTextsAsync(), Is.EqualTo(new[] { "github", "jira" }));
        Assert.That(await Page.Locator("table[data-test=tools] tbody tr").Nth(1).InnerTextAsync(), Does.Contain("delete_repo").And.Contain("hidden"));
        Assert.That(await Page.Locator("table[data-test=policies] tbody tr td:first-child").AllInnerTextsAsync(), Is.EqualTo(new[] { "no-writes", "dlp-secrets" }));
        await ScreenshotAsync("portal");
    }
}
