namespace ShadowMcp.Admin.Tests.Browser;

/// <summary>A host with no portal and no enforcer registered: the pages say so instead of failing or looking empty.</summary>
[Category("Integration")]
internal sealed class NotConfiguredPageTests : BrowserTest
{
    protected override bool NotConfigured => true;

    [TestCase("/portal", "The portal is not configured on this host.")]
    [TestCase("/audit", "The portal audit log is not configured on this host.")]
    [TestCase("/enforcement", "Enforcement is not configured on this host.")]
    public async Task Page_WithoutSourceSaysNotConfigured(string path, string expected)
    {
        await LoginAsync(path);
        Assert.That(await Page.Locator("[data-test=not-configured] strong").InnerTextAsync(), Is.EqualTo(expected));
        Assert.That(await Page.Locator("main button").CountAsync(), Is.Zero, "no commands are offered without an enforcer");
        if (path == "/enforcement") await ScreenshotAsync("enforcement-not-configured");
    }
}
