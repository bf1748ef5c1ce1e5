using ShadowMcp.Admin.Tests.Support;

namespace ShadowMcp.Admin.Tests.Browser;

[Category("Integration")]
internal sealed class FindingsPageTests : BrowserTest
{
    [SetUp]
    public Task SignInAsync() => LoginAsync();

    private Task<IReadOnlyList<string>> EndpointsAsync() => Page.Locator("table[data-test=findings] tbody tr td:first-child a").AllInnerTextsAsync();

    [Test]
    public async Task List_ShowsEverySeededFindingNewestFirst()
    {
        Assert.That(await Page.Locator("[data-test=count]").InnerTextAsync(), Is.EqualTo($"{SeededFindings.Total} findings match."));
        var endpoints = await EndpointsAsync();
        Assert.That(endpoints, Has.Count.EqualTo(SeededFindings.Total));
        Assert.That(endpoints[0], Is.EqualTo(SeededFindings.XssKey), "the latest activity comes first");
        await ScreenshotAsync("findings");
    }

    [Test]
    public async Task Filter_ByVerdictShowsOnlyThatVerdict()
    {
        await Page.SelectOptionAsync("#verdict", "sanctioned");
        await Page.ClickAsync("form.filters button[type=submit]");
        Assert.That(Page.Url, Does.Contain("verdict=sanctioned"));
        Assert.That(await EndpointsAsync(), Is.EqualTo(new[] { SeededFindings.PortalKey }));

        await Page.SelectOptionAsync("#verdict", "shadow");
        await Page.ClickAsync("form.filters button[type=submit]");
        Assert.That(await EndpointsAsync(), Has.Count.EqualTo(2 + SeededFindings.OldShadowCount));
        Assert.That(await Page.Locator("table[data-test=findings] .badge").AllInnerTextsAsync(), Is.All.EqualTo("shadow"));
    }

    [TestCase("everything", SeededFindings.EverythingKey)]
    [TestCase("MCP.DEV.CORP", SeededFindings.EverythingKey)]
    [TestCase("Mcp-Session-Id", SeededFindings.EverythingKey)]
    [TestCase("alert(1)", SeededFindings.XssKey)]
    [TestCase("example.com", SeededFindings.SuspectedKey)]
    public async Task Filter_ByTextMatchesServerHostAndEvidence(string text, string expected)
    {
        await Page.FillAsync("#q", text);
        await Page.ClickAsync("form.filters button[type=submit]");
        Assert.That(await EndpointsAsync(), Is.EqualTo(new[] { expected }));
        Assert.That(await Page.InputValueAsync("#q"), Is.EqualTo(text), "the filter form keeps what was typed");
    }

    [Test]
    public async Task Filter_TextWithLikeWildcardsMatchesLiterally()
    {
        await Page.FillAsync("#q", "%");
        await Page.ClickAsync("form.filters button[type=submit]");
        Assert.That(await Page.Locator("[data-test=count]").InnerTextAsync(), Is.EqualTo("0 findings match."));
    }

    [Test]
    public async Task Filter_ByDateRangeKeepsFindingsActiveInIt()
    {
        await Page.GotoAsync(Host.Url("/findings?from=2026-11-16&to=2026-11-22"));
        Assert.That(await EndpointsAsync(), Has.Count.EqualTo(4));
        Assert.That(await EndpointsAsync(), Has.None.StartWith("10.0.9."));
        await Page.GotoAsync(Host.Url("/findings?to=2026-11-01"));
        Assert.That(await EndpointsAsync(), Has.Count.EqualTo(SeededFindings.OldShadowCount));
    }

    [Test]
    public async Task Filter_BadDateIsNamedAndIgnored()
    {
        await Page.GotoAsync(Host.Url("/findings?from=yesterday&verdict=bogus"));
        var notices = await Page.Locator(".notice.error").AllInnerTextsAsync();
        Assert.That(notices, Has.Some.Contains("'from' value 'yesterday' is not a date"));
        Assert.That(notices, Has.Some.Contains("Unknown verdict 'bogus'"));
        Assert.That(await EndpointsAsync(), Has.Count.EqualTo(SeededFindings.Total));
    }

    [Test]
    public async Task Detail_ShowsEvidenceHostsClientsVersionsTools()
    {
        await Page.ClickAsync($"a:text-is('{SeededFindings.EverythingKey}')");
        Assert.That(await Page.Locator("[data-test=endpoint]").InnerTextAsync(), Is.EqualTo(SeededFindings.EverythingKey));
        Assert.Multiple(async () =>
        {
            Assert.That(await Page.Locator("[data-test=server]").InnerTextAsync(), Is.EqualTo("everything 1.0"));
            Assert.That(await Page.Locator("[data-test=hosts] li").AllInnerTextsAsync(), Is.EqualTo(new[] { "mcp.dev.corp" }));
            Assert.That(await Page.Locator("[data-test=clients] li").AllInnerTextsAsync(), Is.EqualTo(new[] { "10.0.0.7", "10.0.0.8" }));
            Assert.That(await Page.Locator("[data-test=protocol-versions] li").AllInnerTextsAsync(), Is.EqualTo(new[] { "2025-06-18" }));
            Assert.That(await Page.Locator("[data-test=tools] li").AllInnerTextsAsync(), Is.EqualTo(new[] { "read_file", "write_file" }));
            Assert.That(await Page.Locator("[data-test=first-seen]").InnerTextAsync(), Is.EqualTo("2026-11-18 10:00:00 UTC"));
            Assert.That(await Page.Locator("[data-test=last-seen]").InnerTextAsync(), Is.EqualTo("2026-11-18 10:20:00 UTC"));
        });
        var rows = Page.Locator("table[data-test=evidence] tbody tr");
        Assert.That(await rows.CountAsync(), Is.EqualTo(2));
        var first = await rows.Nth(0).Locator("td").AllInnerTextsAsync();
        Assert.That(first[0], Does.StartWith("mcp-initialize-request"));
        Assert.That(first[3], Is.EqualTo("3"));
        Assert.That(first[4], Is.EqualTo("method=initialize protocolVersion=2025-06-18"));
        Assert.That(first[5], Does.Contain("\"protocolVersion\":\"2025-06-18\""));
        var second = await rows.Nth(1).Locator("td").AllInnerTextsAsync();
        Assert.That(second[0], Does.StartWith("mcp-session-header"));
        Assert.That(second[3], Is.EqualTo("7"));
        Assert.That(second[5], Is.EqualTo("Mcp-Session-Id: 4f1c"));
        await ScreenshotAsync("finding-detail");
    }

    [Test]
    public async Task Xss_ServerNameAndPathFromTrafficRenderAsText()
    {
        var row = Page.Locator("table[data-test=findings] tbody tr").First;
        Assert.That(await row.Locator("td[data-test=server]").InnerTextAsync(), Is.EqualTo(SeededFindings.XssServerName + " 1.0"));
        Assert.That(await Page.Locator("main script, main img").CountAsync(), Is.Zero, "no markup from the store became elements");
        Assert.That(await Page.ContentAsync(), Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));

        await row.Locator("td a").ClickAsync();
        Assert.That(await Page.Locator("[data-test=endpoint]").InnerTextAsync(), Is.EqualTo(SeededFindings.XssKey));
        Assert.That(await Page.Locator("[data-test=server]").InnerTextAsync(), Is.EqualTo(SeededFindings.XssServerName + " 1.0"));
        Assert.That(await Page.Locator("main script, main img").CountAsync(), Is.Zero);
        Assert.That(await Page.TitleAsync(), Does.StartWith(SeededFindings.XssKey));
        Assert.That(Dialogs, Is.Empty, "no alert ran");
        await ScreenshotAsync("xss-as-text");
    }

    [Test]
    public async Task Basis_ColumnShowsEachFindingsBasis_AndTheFilterKeepsOnlyThatPrimary()
    {
        var rows = Page.Locator("table[data-test=findings] tbody tr");
        async Task<string> BasisOf(string key) =>
            await rows.Filter(new() { Has = Page.Locator($"a:text-is('{key}')") }).Locator("td[data-test=basis]").InnerTextAsync();
        Assert.That(await BasisOf(SeededFindings.EverythingKey), Is.EqualTo("content other"), "an unplaced rule shows after the primary");
        Assert.That(await BasisOf(SeededFindings.SuspectedKey), Is.EqualTo("name"));
        Assert.That(await BasisOf(SeededFindings.ShapeKey), Is.EqualTo("shape"));
        Assert.That(await BasisOf(SeededFindings.PortalKey), Is.EqualTo("content"));

        await Page.SelectOptionAsync("#basis", "shape");
        await Page.ClickAsync("form.filters button[type=submit]");
        Assert.That(Page.Url, Does.Contain("basis=shape"));
        Assert.That(await EndpointsAsync(), Is.EqualTo(new[] { SeededFindings.ShapeKey }));
        Assert.That(await Page.Locator("[data-verdict=shadow] .n").InnerTextAsync(), Is.EqualTo("1"), "the counts follow the basis filter");

        await Page.SelectOptionAsync("#basis", "content");
        await Page.ClickAsync("form.filters button[type=submit]");
        Assert.That(await EndpointsAsync(), Is.EquivalentTo(new[]
        {
            SeededFindings.EverythingKey, SeededFindings.XssKey, SeededFindings.PortalKey, "10.0.9.2:7000/mcp", "10.0.9.3:7000/mcp", "10.0.9.4:7000/mcp",
        }));
        Assert.That(await Page.InputValueAsync("#basis"), Is.EqualTo("content"), "the filter form keeps the basis");
        await ScreenshotAsync("findings-basis");
    }

    [Test]
    public async Task Detail_ShowsEveryBasisWithWhatItMeans()
    {
        await Page.ClickAsync($"a:text-is('{SeededFindings.ShapeKey}')");
        var shape = Page.Locator("[data-test=bases] li");
        Assert.That(await shape.AllInnerTextsAsync(), Has.Count.EqualTo(1));
        Assert.That(await shape.First.GetAttributeAsync("data-basis"), Is.EqualTo("shape"));
        Assert.That(await shape.First.InnerTextAsync(), Does.Contain("a lead: confirm before acting"));

        await Page.GotoAsync(Host.Url("/findings"));
        await Page.ClickAsync($"a:text-is('{SeededFindings.EverythingKey}')");
        var bases = Page.Locator("[data-test=bases] li");
        Assert.That(await bases.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.basis)"), Is.EqualTo(new[] { "content", "other" }));
        Assert.That(await bases.First.InnerTextAsync(), Does.Contain("MCP messages (JSON-RPC, MCP headers, SSE events) were read in plaintext traffic."));
    }

    [Test]
    public async Task Detail_UnknownIdIsNotFound()
    {
        var response = await Page.GotoAsync(Host.Url("/findings/999999"));
        Assert.That(response!.Status, Is.EqualTo(404));
        Assert.That(await Page.Locator(".notice.error").InnerTextAsync(), Is.EqualTo("There is no finding 999999."));
    }
}
