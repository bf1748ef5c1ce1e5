using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;
using ShadowMcp.Tests;

namespace ShadowMcp.Portal.Tests.CodeMode;

/// <summary>
/// The worker is not trusted. A search (`portal_codemode_search`, annotated read-only, so hosts may run it without
/// asking) has no tool calls in its API, but a worker that has been taken over can still send a "call" frame; the
/// portal answered it like an execution's. Here node/hostile-worker.mjs plays that worker.
/// </summary>
[Category("Integration")]
public sealed class HostileWorkerTests
{
    private UpstreamServer _alpha = null!;
    private PortalFixture _portal = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        var script = Path.Combine(NodeScripts.Folder, "hostile-worker.mjs");
        ExternalTools.RequireIntegrationLane("node");
        var node = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "node")).First(File.Exists);
        _alpha = await UpstreamServer.StartAsync();
        var config = PortalFixture.Config1(("alpha", _alpha.McpUrl));
        config.CodeMode.WorkerCommand = [node, script, "alpha_echo"];
        config.CodeMode.WorkerNice = 0;
        config.CodeMode.WorkerAddressSpaceBytes = 64L * 1024 * 1024 * 1024; // V8 reserves more than .NET does
        config.CodeMode.TimeoutSeconds = 10;
        config.Groups["dev"] = new GroupConfig { Servers = { ["alpha"] = ["*"] } };
        _portal = await PortalFixture.StartAsync(config);
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await _portal.DisposeAsync();
        await _alpha.DisposeAsync();
    }

    [Test]
    public async Task ToolCallFromASearch_IsRefused_AndNeverReachesTheUpstream()
    {
        await using var client = await CodeModeClient.ConnectAsync(_portal, _portal.CreateToken("dev"));
        var result = await client.SearchAsync("async () => codemode.tools()");
        Assert.That(result.IsError, Is.True, result.Text());
        Assert.That(result.Text(), Does.Contain("broke its protocol"));
        // The same worker's call in an execution does reach the upstream, through the gateway: the later event
        // the search's call would have come before.
        var executed = await client.ExecuteAsync("async () => 1");
        Assert.That(executed.Text(), Does.Contain("echo: from-an-execute"));
        Assert.That(_alpha.ReceivedArguments, Has.None.Contains("from-a-search"));
    }
}
