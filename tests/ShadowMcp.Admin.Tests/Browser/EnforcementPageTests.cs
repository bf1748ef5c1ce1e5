using ShadowMcp.Admin.Tests.Support;

namespace ShadowMcp.Admin.Tests.Browser;

[Category("Integration")]
internal sealed class EnforcementPageTests : BrowserTest
{
    [SetUp]
    public Task SignInAsync() => LoginAsync("/enforcement");

    private Task<string> StateOfAsync(string actionId) => Page.Locator($"tr[data-action='{actionId}'] [data-test=state]").InnerTextAsync();

    [Test]
    public async Task Plan_DismissedConfirmSendsNothing()
    {
        var before = Host.Enforcement!.PlanCalls;
        AcceptDialogs = false;
        await Page.ClickAsync("#plan");
        Assert.That(Dialogs, Is.EqualTo(new[] { "Compute a new block plan for the current shadow findings?" }));
        Assert.That(Host.Enforcement.PlanCalls, Is.EqualTo(before));
        Assert.That(Page.Url, Does.EndWith("/admin/enforcement"));
    }

    [Test]
    public async Task PlanApplyRollback_EachAsksAndOnlyAcceptedOnesAct()
    {
        var fake = Host.Enforcement!;
        Assert.That(await Page.Locator("[data-test=mode]").InnerTextAsync(), Is.EqualTo("nftables (test)"));

        await Page.ClickAsync("#plan");
        Assert.That(await Page.Locator("[data-test=result]").InnerTextAsync(), Does.Match(@"^Plan plan-\d+ made with 2 steps\.$"));
        var steps = await Page.Locator("table[data-test=plan-steps] tbody tr td:first-child").AllInnerTextsAsync();
        Assert.That(steps, Is.EqualTo(new[] { SeededFindings.EverythingKey, SeededFindings.XssKey }));
        await ScreenshotAsync("plan");

        await Page.ClickAsync("#apply");
        Assert.That(Dialogs[^1], Does.StartWith("Apply plan plan-").And.EndWith("Traffic to 2 endpoint(s) will be blocked."));
        Assert.That(await Page.Locator("[data-test=result]").InnerTextAsync(), Does.EndWith("applied."));
        var actionId = (await Page.Locator("table[data-test=actions] tbody tr").Last.GetAttributeAsync("data-action"))!;
        Assert.That(await StateOfAsync(actionId), Is.EqualTo("applied"));

        var rollbacks = fake.RollbackCalls;
        AcceptDialogs = false;
        await Page.Locator($"tr[data-action='{actionId}'] button:has-text('Roll back')").ClickAsync();
        Assert.That(Dialogs[^1], Is.EqualTo($"Roll back action {actionId} and every later action? 1 endpoint(s) change back: {SeededFindings.XssKey}."));
        Assert.That(fake.RollbackCalls, Is.EqualTo(rollbacks), "a dismissed confirm sends no POST");
        Assert.That(await StateOfAsync(actionId), Is.EqualTo("applied"));

        AcceptDialogs = true;
        await Page.Locator($"tr[data-action='{actionId}'] button:has-text('Roll back')").ClickAsync();
        Assert.That(await Page.Locator("[data-test=result]").InnerTextAsync(), Is.EqualTo($"Action {actionId} rolled back."));
        Assert.That(await StateOfAsync(actionId), Is.EqualTo("rolled back"));
        Assert.That(await Page.Locator($"tr[data-action='{actionId}'] button").CountAsync(), Is.Zero, "a rolled-back action has no button");
        Assert.That(fake.RollbackCalls, Is.EqualTo(rollbacks + 1));
        await ScreenshotAsync("rolled-back");
    }
}
