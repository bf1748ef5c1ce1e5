using ShadowMcp.Admin.Tests.Support;

namespace ShadowMcp.Admin.Tests.Browser;

[Category("Integration")]
internal sealed class FindingsPagingTests : BrowserTest
{
    protected override int PageSize => 3;

    [Test]
    public async Task Paging_WalksAllPagesKeepingTheFilter()
    {
        await LoginAsync("/findings?verdict=shadow");
        var seen = new List<string>();
        for (var page = 1; ; page++)
        {
            Assert.That(await Page.Locator(".pager span").InnerTextAsync(), Is.EqualTo($"Page {page} of 2"));
            seen.AddRange(await Page.Locator("table[data-test=findings] tbody tr td:first-child a").AllInnerTextsAsync());
            var next = Page.Locator("a[rel=next]");
            if (await next.CountAsync() == 0) break;
            await next.ClickAsync();
            Assert.That(Page.Url, Does.Contain("verdict=shadow").And.Contain("page=2"));
        }
        Assert.That(seen, Has.Count.EqualTo(2 + SeededFindings.OldShadowCount));
        Assert.That(seen, Is.Unique);
        await Page.ClickAsync("a[rel=prev]");
        Assert.That(await Page.Locator(".pager span").InnerTextAsync(), Is.EqualTo("Page 1 of 2"));
    }
}
