using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Hosting;
using ShadowMcp.Portal.Tests.Fixtures;
using ShadowMcp.Portal.Upstreams;

namespace ShadowMcp.Portal.Tests.Upstreams;

/// <summary>
/// A fresh portal whose upstream announces tools/list_changed while the portal is still connecting: the start-up
/// refresh and the announced one run together on an empty store. Neither may fail on the first pins, and the
/// upstream's tools must be in the catalog, every time.
/// </summary>
[Category("Integration")]
public sealed class StartupRaceTests
{
    [Test]
    public async Task FreshStart_WithListChangedWhileConnecting_KeepsUpstreamInCatalog()
    {
        await using var upstream = await AnnouncingUpstream.StartAsync();
        for (var run = 0; run < 20; run++)
        {
            var config = PortalFixture.Config1(("up", upstream.McpUrl));
            config.Upstreams[0].ProtocolVersion = "2025-11-25"; // a session, over which list_changed arrives at once
            config.Groups["dev"] = new GroupConfig { Servers = { ["up"] = ["*"] } };
            var dir = TempDir.Create();
            await using var app = PortalHost.Build(config, Path.Combine(dir, "shadowmcp.db"), ["http://127.0.0.1:0"], LogLevel.Critical);
            var registry = app.Services.GetRequiredService<UpstreamRegistry>();
            var refreshed = 0;
            var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            registry.CatalogChanged += () => { if (Interlocked.Increment(ref refreshed) == 2) both.TrySetResult(); };
            await app.StartAsync();
            // The start-up refresh and the one list_changed asked for; the timeout only guards against a hang.
            await both.Task.WaitAsync(TimeSpan.FromSeconds(20));
            var status = registry.Status().Single();
            Assert.That(status.Healthy, Is.True, $"run {run}: {status.LastError}");
            Assert.That(registry.Catalog.Tools.Find("up_echo"), Is.Not.Null, $"run {run}: the upstream left the catalog");
            await app.StopAsync();
        }
    }

    /// <summary>An MCP server that sends tools/list_changed in the middle of each session's first tools/list.</summary>
    private sealed class AnnouncingUpstream : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private AnnouncingUpstream(WebApplication app) => _app = app;
        public string McpUrl => _app.Urls.First() + "/mcp";

        public static async Task<AnnouncingUpstream> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var announced = new HashSet<McpServer>();
            builder.Services.AddMcpServer(o =>
                {
                    o.ServerInfo = new Implementation { Name = "announcing-upstream", Version = "1.0.0" };
                    o.Capabilities = new ServerCapabilities { Tools = new ToolsCapability { ListChanged = true } };
                })
                .WithHttpTransport(o => o.SessionMode = ModelContextProtocol.AspNetCore.HttpServerSessionMode.StatefulForInitializeClients)
                .WithListToolsHandler(async (ctx, ct) =>
                {
                    bool first;
                    lock (announced) first = announced.Add(ctx.Server);
                    if (first) await ctx.Server.SendNotificationAsync(NotificationMethods.ToolListChangedNotification, ct);
                    return new ListToolsResult { Tools = UpstreamServer.DefaultTools() };
                })
                .WithCallToolHandler((_, _) => ValueTask.FromResult(new CallToolResult { Content = [new TextContentBlock { Text = "ok" }] }));
            var app = builder.Build();
            app.MapMcp("/mcp");
            await app.StartAsync();
            return new AnnouncingUpstream(app);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
