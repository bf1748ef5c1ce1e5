using Microsoft.Playwright;
using ShadowMcp.Admin.Sources;
using ShadowMcp.Admin.Tests.Support;
using ShadowMcp.Cli.Hosting;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Admin.Tests.Browser;

/// <summary>
/// A security lead's week in Chromium on a store with 20,000 findings and the real enforcer on a hosts file: read the
/// report's executive summary, triage five findings (under review with an owner, two approvals, a false positive, a
/// block), see the block in "currently blocked", roll it back and see it gone; the list counts each decision.
/// </summary>
[Category("Integration")]
internal sealed class SecurityLeadWeekTests : BrowserTest
{
    private const int Bulk = 20_000;
    private const string Name = "mcp.dev.corp";

    // The policy selects nothing by itself (no confidence reaches 1), so the only block is the lead's triage decision.
    protected override Func<string, string, IEnforcementAdminSource>? Enforcer => (directory, db) =>
    {
        var hosts = Path.Combine(directory, "hosts");
        File.WriteAllText(hosts, "127.0.0.1 localhost\n");
        var policy = Path.Combine(directory, "enforce.yaml");
        File.WriteAllText(policy,
            $"version: 1\nselect:\n  verdicts: [shadow]\n  min_confidence: 1.0\nmode: block\nbackends:\n  - type: hosts\n    path: {hosts}\n");
        return new EnforcementDataSources(policy, db, () => [], TimeProvider.System);
    };

    private static string BulkKey(int i) => $"10.60.{i / 256}.{i % 256}:8000/mcp";

    [SetUp]
    public async Task SeedAndSignInAsync()
    {
        var findings = new List<Finding>(Bulk);
        for (var i = 0; i < Bulk; i++)
        {
            var f = new Finding
            {
                Endpoint = new Endpoint($"10.60.{i / 256}.{i % 256}", 8000, null, "/mcp"),
                Verdict = i % 4 == 0 ? Verdict.Suspected : Verdict.Shadow, Confidence = 0.9, Flows = 1 + i % 5,
                FirstSeen = SeededFindings.W47.AddMinutes(i % 900), LastSeen = SeededFindings.W47.AddMinutes(i % 900 + 5),
                Transport = Transports.StreamableHttp, VerdictReason = "seeded",
            };
            f.Clients.Add($"172.20.{i % 40}.{i % 250}");
            f.Evidence.Add(new Evidence { Rule = "mcp-initialize-request", Detail = "method=initialize", FirstSeen = f.FirstSeen, LastSeen = f.LastSeen });
            findings.Add(f);
        }
        using (var store = FindingStore.Open(Path.Combine(Host.Directory, "store.db")))
            store.SaveFileResult("bulk-w47.pcap", "sha-bulk-w47", 1, new ScanStats(), null, findings, SeededFindings.W47);
        await LoginAsync("/reports");
    }

    [Test]
    public async Task ReadTheSummary_TriageFive_BlockThenRollBack()
    {
        // Monday: the week's report, summary first.
        await Page.FillAsync("#week", "2026-W47");
        await Page.ClickAsync("button:has-text('Generate now')");
        await Page.ClickAsync("a:text-is('View')");
        var report = Page.FrameLocator("iframe.report");
        await Assertions.Expect(report.Locator("h2").First).ToHaveTextAsync("Executive summary");
        var summary = await report.Locator("body").InnerTextAsync();
        Assert.That(summary.IndexOf("Executive summary", StringComparison.Ordinal),
            Is.LessThan(summary.IndexOf("Appendix", StringComparison.Ordinal)), "the summary comes before the evidence");
        await ScreenshotAsync("week-summary");

        // Triage: one under review with an owner, two approved, one false positive, one blocked.
        await Decide(BulkKey(1), async () =>
        {
            await Page.SelectOptionAsync("[data-test=triage-form] select[name=status]", "under_review");
            await Page.FillAsync("[data-test=triage-form] input[name=owner]", "alice");
            await Page.ClickAsync("#triage-save");
        }, "under review");
        await Decide(BulkKey(2), () => Page.ClickAsync("#sanction"), "approved");
        await Decide(BulkKey(3), () => Page.ClickAsync("#sanction"), "approved");
        await Decide(BulkKey(5), () => Page.ClickAsync("#exception"), "false positive");

        await Open(SeededFindings.EverythingKey);
        await Page.ClickAsync("#block");
        Assert.That(await Page.Locator("h1").InnerTextAsync(), Is.EqualTo("Enforcement"));
        await Page.ClickAsync("#apply");
        Assert.That(Dialogs[^1], Does.EndWith("Traffic to 1 endpoint(s) will be blocked."), "only the lead's decision is planned");
        Assert.That(await Page.Locator("[data-test=result]").GetAttributeAsync("class"), Does.Contain("ok"),
            await Page.Locator("[data-test=result]").InnerTextAsync());

        // Currently blocked: the name, on the hosts backend, held.
        var row = Page.Locator($"table[data-test=blocked] tr[data-endpoint='{Name}']");
        Assert.That(await row.CountAsync(), Is.EqualTo(1));
        Assert.That(await row.Locator("[data-test=verification]").InnerTextAsync(), Is.EqualTo("held"));
        Assert.That(File.ReadAllText(Path.Combine(Host.Directory, "hosts")), Does.Contain(Name));
        await ScreenshotAsync("week-blocked");

        // Roll it back: gone from the view and from the file.
        var action = (await row.Locator("[data-test=by]").InnerTextAsync()).Replace("action ", "", StringComparison.Ordinal);
        await Page.Locator($"tr[data-action='{action}'] button:has-text('Roll back')").ClickAsync();
        Assert.That(await Page.Locator("[data-test=nothing-blocked]").CountAsync(), Is.EqualTo(1));
        Assert.That(File.ReadAllText(Path.Combine(Host.Directory, "hosts")), Is.EqualTo("127.0.0.1 localhost\n"));

        // The list counts every decision.
        await Page.GotoAsync(Host.Url("/findings"));
        var counts = Page.Locator("[data-test=status-counts]");
        foreach (var (status, n) in new[] { ("under_review", "1"), ("approved", "2"), ("false_positive", "1"), ("blocked", "1") })
            Assert.That(await counts.Locator($"a[data-status={status}] .n").InnerTextAsync(), Is.EqualTo(n), status);
        await ScreenshotAsync("week-counts");
    }

    private async Task Open(string key)
    {
        await Page.GotoAsync(Host.Url("/findings?q=" + Uri.EscapeDataString(key)));
        await Page.ClickAsync($"table[data-test=findings] a:text-is('{key}')");
    }

    private async Task Decide(string key, Func<Task> act, string expected)
    {
        await Open(key);
        await act();
        Assert.That(await Page.Locator("[data-test=triage-status]").InnerTextAsync(), Is.EqualTo(expected), key);
    }
}
