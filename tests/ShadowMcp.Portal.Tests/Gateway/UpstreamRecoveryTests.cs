using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Pinning;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;
using ShadowMcp.Portal.Upstreams;

namespace ShadowMcp.Portal.Tests.Gateway;

/// <summary>A broken upstream session is replaced, so one crash does not fail every later call.</summary>
[Category("Integration")]
public sealed class UpstreamRecoveryTests
{
    [Test]
    public async Task ToolsCall_AfterTheStdioUpstreamDied_StartsItAgain()
    {
        var store = new PortalStore(Path.Combine(TempDir.Create(), "p.db"));
        await using var upstream = new UpstreamConnection(
            new UpstreamConfig { Id = "d", Command = "node", Args = [Path.Combine(NodeScripts.Folder, "die.mjs")], TimeoutSeconds = 10 },
            new PinKeeper(store, TimeProvider.System, NullLogger<PinKeeper>.Instance), TimeProvider.System, NullLoggerFactory.Instance);
        await upstream.RefreshAsync(CancellationToken.None);
        var before = Text(await upstream.CallToolAsync("echo", null, CancellationToken.None));

        Assert.CatchAsync<UpstreamUnavailableException>(async () => await upstream.CallToolAsync("die", null, CancellationToken.None));
        var after = Text(await upstream.CallToolAsync("echo", null, CancellationToken.None));

        Assert.That(after, Does.StartWith("alive "));
        Assert.That(after, Is.Not.EqualTo(before), "a new process (new pid) answers");
    }

    private static string Text(CallToolResult r) => ((TextContentBlock)r.Content[0]).Text;
}
