using ShadowMcp.Admin.Sources;
using ShadowMcp.Cli.Hosting;

namespace ShadowMcp.Admin.Tests.Browser;

/// <summary>
/// A security lead's block and unblock through the real enforcer (the `serve --enforce-policy` source) on two real
/// file backends, a hosts file and a dnsmasq file: the block shows in "Currently blocked" per backend with the
/// action that put it there, and after the rollback it is gone and the action reads rolled back.
/// </summary>
[Category("Integration")]
internal sealed class CurrentlyBlockedTests : BrowserTest
{
    private const string Name = "mcp.dev.corp"; // the name the seeded "everything" server was reached by

    protected override Func<string, string, IEnforcementAdminSource>? Enforcer => (directory, db) =>
    {
        var hosts = Path.Combine(directory, "hosts");
        File.WriteAllText(hosts, "127.0.0.1 localhost\n");
        var policy = Path.Combine(directory, "enforce.yaml");
        File.WriteAllText(policy,
            "version: 1\nselect:\n  verdicts: [shadow]\n  min_confidence: 0.5\nmode: block\nbackends:\n"
            + $"  - type: hosts\n    path: {hosts}\n  - type: dnsmasq\n    path: {Path.Combine(directory, "dnsmasq.conf")}\n");
        return new EnforcementDataSources(policy, db, () => [], TimeProvider.System);
    };

    [SetUp]
    public Task SignInAsync() => LoginAsync("/enforcement");

    [Test]
    public async Task ApplyThenRollBack_BlockAppearsPerBackendThenIsGoneAndTheActionReadsRolledBack()
    {
        Assert.That(await Page.Locator("[data-test=nothing-blocked]").CountAsync(), Is.EqualTo(1));

        await Page.ClickAsync("#plan");
        var steps = await Page.Locator("table[data-test=plan-steps] tbody tr").CountAsync();
        Assert.That(steps, Is.EqualTo(2), "one name, one step on each of the two backends");
        await Page.ClickAsync("#apply");
        Assert.That(Dialogs[^1], Does.EndWith("Traffic to 1 endpoint(s) will be blocked."), "the prompt counts endpoints, not endpoint x backend");
        Assert.That(await Page.Locator("[data-test=result]").GetAttributeAsync("class"), Does.Contain("ok"),
            await Page.Locator("[data-test=result]").InnerTextAsync());

        var rows = Page.Locator($"table[data-test=blocked] tr[data-endpoint='{Name}']");
        Assert.That(await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.backend)"), Is.EquivalentTo(new[] { "hosts", "dnsmasq" }));
        Assert.That(await rows.Locator("[data-test=verification]").AllInnerTextsAsync(), Is.All.EqualTo("held"));
        Assert.That(await rows.Locator("[data-test=expires]").AllInnerTextsAsync(), Is.All.EqualTo("no TTL"));
        var by = await rows.Locator("[data-test=by]").AllInnerTextsAsync();
        var actionIds = by.Select(b => b.Replace("action ", "", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        foreach (var id in actionIds)
            Assert.That(await Page.Locator($"tr[data-action='{id}'] td:nth-child(2)").InnerTextAsync(), Is.EqualTo("+" + Name),
                "the action names what it blocked");
        await ScreenshotAsync("blocked");

        var first = actionIds.MinBy(long.Parse)!;
        await Page.Locator($"tr[data-action='{first}'] button:has-text('Roll back')").ClickAsync();
        Assert.That(await Page.Locator("[data-test=result]").InnerTextAsync(), Does.Contain($"rolled back to before action {first}"));
        Assert.That(await Page.Locator("[data-test=nothing-blocked]").CountAsync(), Is.EqualTo(1), "the block is gone from both backends");
        foreach (var id in actionIds)
        {
            Assert.That(await Page.Locator($"tr[data-action='{id}'] [data-test=state]").InnerTextAsync(), Is.EqualTo("rolled back"));
            Assert.That(await Page.Locator($"tr[data-action='{id}'] button").CountAsync(), Is.Zero, "a rolled-back action offers no Roll back");
        }
        Assert.That(File.ReadAllText(Path.Combine(Host.Directory, "hosts")), Is.EqualTo("127.0.0.1 localhost\n"));
        await ScreenshotAsync("rolled-back");
    }
}
