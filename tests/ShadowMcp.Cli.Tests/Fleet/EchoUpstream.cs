using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace ShadowMcp.Cli.Tests.Fleet;

/// <summary>A C# SDK MCP server on 127.0.0.1 with one tool, `echo`, for portals to front.</summary>
internal sealed class EchoUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoUpstream(WebApplication app) => _app = app;

    public string McpUrl => _app.Urls.First() + "/mcp";

    public static async Task<EchoUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var schema = JsonSerializer.SerializeToElement(new { type = "object" });
        builder.Services
            .AddMcpServer(o => o.ServerInfo = new Implementation { Name = "echo-upstream", Version = "1.0.0" })
            .WithHttpTransport()
            .WithListToolsHandler((_, _) => ValueTask.FromResult(new ListToolsResult
            {
                Tools = [new Tool { Name = "echo", Description = "Echoes text", InputSchema = schema }],
            }))
            .WithCallToolHandler((ctx, _) => ValueTask.FromResult(new CallToolResult
            {
                Content =
                [
                    new TextContentBlock { Text = "echo: " + (ctx.Params!.Arguments?["text"].GetString() ?? "") },
                ],
            }));
        var app = builder.Build();
        app.MapMcp("/mcp");
        await app.StartAsync();
        return new EchoUpstream(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
