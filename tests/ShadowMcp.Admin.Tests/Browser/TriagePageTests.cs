using ShadowMcp.Admin.Tests.Support;

namespace ShadowMcp.Admin.Tests.Browser;

/// <summary>A security lead triages one finding in Chromium: a hostile note stays text, each decision asks first, Block lands on the plan.</summary>
[Category("Integration")]
internal sealed class TriagePageTests : BrowserTest
{
    private const string Hostile = "<img src=x onerror=alert(11)><script>alert(12)</script>";

    [SetUp]
    public Task SignInAsync() => LoginAsync("/findings?q=everything");

    [Test]
    public async Task TriageOneFinding_SaveSanctionThenBlock()
    {
        await Page.ClickAsync($"table[data-test=findings] a:text-is('{SeededFindings.EverythingKey}')");
        Assert.That(await Page.Locator("[data-test=triage-status]").InnerTextAsync(), Is.EqualTo("new"));

        await Page.SelectOptionAsync("[data-test=triage-form] select[name=status]", "under_review");
        await Page.FillAsync("[data-test=triage-form] input[name=owner]", Hostile);
        await Page.FillAsync("[data-test=triage-form] textarea[name=note]", Hostile);
        await Page.ClickAsync("#triage-save");
        Assert.That(await Page.Locator("[data-test=triage-status]").InnerTextAsync(), Is.EqualTo("under review"));
        Assert.That(await Page.Locator("[data-test=triage-owner]").InnerTextAsync(), Is.EqualTo(Hostile));
        Assert.That(await Page.Locator("table[data-test=triage-history] td.note").First.InnerTextAsync(), Is.EqualTo(Hostile));
        Assert.That(await Page.Locator("main script, main img").CountAsync(), Is.Zero, "typed text never becomes elements");
        await ScreenshotAsync("triage-saved");

        await Page.ClickAsync("#sanction");
        Assert.That(Dialogs[^1], Does.StartWith("Approve this endpoint?"));
        Assert.That(await Page.Locator("[data-test=triage-status]").InnerTextAsync(), Is.EqualTo("approved"));
        Assert.That(await Page.Locator("h1 .badge").InnerTextAsync(), Is.EqualTo("sanctioned"));

        var plans = Host.Enforcement!.PlanCalls;
        AcceptDialogs = false;
        await Page.ClickAsync("#block");
        Assert.That(Host.Enforcement.PlanCalls, Is.EqualTo(plans), "a dismissed confirm sends nothing");
        AcceptDialogs = true;
        await Page.ClickAsync("#block");
        Assert.That(Host.Enforcement.PlanCalls, Is.EqualTo(plans + 1));
        Assert.That(await Page.Locator("h1").InnerTextAsync(), Is.EqualTo("Enforcement"));
        Assert.That(await Page.Locator("[data-test=result]").InnerTextAsync(), Does.StartWith($"{SeededFindings.EverythingKey} is marked blocked."));
        Assert.That(await Page.Locator("#apply").CountAsync(), Is.EqualTo(1), "the plan waits for Apply");
        await ScreenshotAsync("triage-block-plan");
    }
}
