using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace ShadowMcp.Portal.Tests.Fixtures;

// The fixture speaks logging like today's 2025-11-25 servers do, deprecated or not (SEP-2577).
#pragma warning disable MCP9005

/// <summary>
/// A real MCP server (C# SDK, Streamable HTTP and legacy SSE) on 127.0.0.1 with a port chosen by the OS.
/// Its tools are data, so a test can change a definition to simulate a rug pull.
/// </summary>
internal sealed class UpstreamServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile List<Tool> _tools;
    public List<string> ReceivedArguments { get; } = [];
    public List<string?> ReceivedAuthorization { get; } = [];

    /// <summary>The W3C traceparent header of each HTTP request the portal sent ("" when it sent none).</summary>
    public List<string> ReceivedTraceparents { get; } = [];
    public List<string> ReceivedReads { get; } = [];

    /// <summary>Released each time a `slow` call ends, answered or cancelled: a signal for "that call is over".</summary>
    public SemaphoreSlim SlowCallEnded { get; } = new(0);

    private UpstreamServer(WebApplication app, List<Tool> tools)
    {
        _app = app;
        _tools = tools;
    }

    public string McpUrl => $"{BaseUrl}/mcp";
    public string SseUrl => $"{BaseUrl}/mcp/sse";
    public string BaseUrl => _app.Urls.First();

    public static Tool MakeTool(string name, string description, bool readOnly = false) => new()
    {
        Name = name,
        Description = description,
        InputSchema = JsonSerializer.SerializeToElement(new { type = "object", properties = new { text = new { type = "string" } } }),
        Annotations = new ToolAnnotations { ReadOnlyHint = readOnly },
    };

    public static List<Tool> DefaultTools() =>
    [
        MakeTool("echo", "Echo the text back", readOnly: true),
        MakeTool("leak", "Returns text containing secrets", readOnly: true),
        MakeTool("delete_item", "Deletes an item"),
        MakeTool("slow", "Sleeps for the given milliseconds", readOnly: true),
    ];

    /// <summary>Tools that talk back in the middle of a call.</summary>
    public static List<Tool> RelayTools() =>
    [
        MakeTool("progress", "Reports three progress steps", readOnly: true),
        MakeTool("ask", "Asks the user a question (elicitation)", readOnly: true),
        MakeTool("summarize", "Asks the client's model (sampling)", readOnly: true),
        MakeTool("chatty", "Logs while it works", readOnly: true),
    ];

    /// <summary>The last level a client set with logging/setLevel on this server.</summary>
    public LoggingLevel? LogLevelSet { get; private set; }

    public void ReplaceTools(List<Tool> tools) => _tools = tools;

    private readonly List<ModelContextProtocol.Server.McpServer> _sessions = [];

    /// <summary>Sends notifications/tools/list_changed on every session that listed tools.</summary>
    public async Task NotifyToolsChangedAsync()
    {
        List<ModelContextProtocol.Server.McpServer> sessions;
        lock (_sessions) sessions = [.. _sessions];
        foreach (var s in sessions)
        {
            try { await s.SendNotificationAsync(NotificationMethods.ToolListChangedNotification); }
            catch (Exception) { /* a closed or stateless session cannot be notified */ }
        }
    }

    public static async Task<UpstreamServer> StartAsync(List<Tool>? tools = null, bool withPrompts = false, string resourceTemplate = "fixture://items/{id}")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        UpstreamServer? self = null;
        var mcp = builder.Services.AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation { Name = "fixture-upstream", Version = "1.0.0" };
                o.Capabilities = new ServerCapabilities { Logging = new LoggingCapability() };
            })
            .WithHttpTransport(o => { o.SessionMode = ModelContextProtocol.AspNetCore.HttpServerSessionMode.StatefulForInitializeClients; EnableLegacySse(o); })
            .WithListToolsHandler((ctx, _) =>
            {
                lock (self!._sessions) self._sessions.Add(ctx.Server);
                return ValueTask.FromResult(new ListToolsResult { Tools = self._tools });
            })
            .WithCallToolHandler(async (ctx, ct) => await self!.CallAsync(ctx, ct))
            .WithSetLoggingLevelHandler((ctx, _) =>
            {
                self!.LogLevelSet = ctx.Params?.Level;
                return ValueTask.FromResult(new EmptyResult());
            });
        if (withPrompts)
        {
            mcp.WithListPromptsHandler((_, _) => ValueTask.FromResult(new ListPromptsResult
                {
                    Prompts = [new Prompt { Name = "greet", Description = "Greets someone" }],
                }))
                .WithGetPromptHandler((ctx, _) => ValueTask.FromResult(new GetPromptResult
                {
                    Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = "Hello from the fixture prompt" } }],
                }))
                .WithCompleteHandler((ctx, _) => ValueTask.FromResult(new CompleteResult
                {
                    Completion = new Completion { Values = [$"{(ctx.Params!.Ref as PromptReference)?.Name}:{ctx.Params.Argument.Value}"] },
                }))
                .WithListResourcesHandler((_, _) => ValueTask.FromResult(new ListResourcesResult
                {
                    Resources = [new Resource { Uri = "fixture://doc", Name = "doc", MimeType = "text/plain" }],
                }))
                .WithListResourceTemplatesHandler((_, _) => ValueTask.FromResult(new ListResourceTemplatesResult
                {
                    ResourceTemplates = [new ResourceTemplate { UriTemplate = resourceTemplate, Name = "item", MimeType = "text/plain" }],
                }))
                .WithReadResourceHandler((ctx, _) => { lock (self!.ReceivedReads) self.ReceivedReads.Add(ctx.Params!.Uri); return ValueTask.FromResult(new ReadResourceResult
                {
                    Contents = [new TextResourceContents { Uri = ctx.Params!.Uri, Text = "fixture document" }],
                }); });
        }
        var app = builder.Build();
        app.Use(async (ctx, next) =>
        {
            lock (self!.ReceivedAuthorization) self.ReceivedAuthorization.Add(ctx.Request.Headers.Authorization.ToString());
            lock (self.ReceivedTraceparents) self.ReceivedTraceparents.Add(ctx.Request.Headers["traceparent"].ToString());
            await next();
        });
        app.MapMcp("/mcp");
        self = new UpstreamServer(app, tools ?? DefaultTools());
        await app.StartAsync();
        return self;
    }

    private async Task<CallToolResult> CallAsync(ModelContextProtocol.Server.RequestContext<CallToolRequestParams> ctx, CancellationToken ct)
    {
        var p = ctx.Params!;
        var text = p.Arguments is { } a && a.TryGetValue("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        lock (ReceivedArguments) ReceivedArguments.Add(JsonSerializer.Serialize(p.Arguments));
        switch (p.Name)
        {
            case "echo":
                return Text($"echo: {text}");
            case "leak":
                return Text("config: aws key AKIAIOSFODNN7EXAMPLE and mail ops@example.com");
            case "delete_item":
                return Text($"deleted {text}");
            case "progress":
                // Spaced out like real work: the SDK client dispatches notifications concurrently, so progress sent
                // back to back (or right before the result) can arrive out of order or after the call returned.
                for (var i = 1; i <= 3; i++)
                {
                    if (p.ProgressToken is { } token)
                        await ctx.Server.NotifyProgressAsync(token, new ProgressNotificationValue { Progress = i, Total = 3, Message = text == "leak" ? $"step {i}: key AKIAIOSFODNN7EXAMPLE" : $"step {i}" }, cancellationToken: ct);
                    await Task.Delay(60, ct);
                }
                return Text(p.ProgressToken is null ? "progress done without a token" : "progress done");
            case "ask":
            {
                var answer = await ctx.Server.ElicitAsync(new ElicitRequestParams
                {
                    Message = "Which colour should the fixture use?",
                    RequestedSchema = new ElicitRequestParams.RequestSchema
                    {
                        Properties = { ["colour"] = new ElicitRequestParams.StringSchema { Description = "a colour" } },
                    },
                }, ct);
                var colour = answer.Content is { } c && c.TryGetValue("colour", out var v) ? v.GetString() : null;
                return Text($"answer: {answer.Action} {colour}");
            }
            case "summarize":
            {
                var sampled = await ctx.Server.SampleAsync(new CreateMessageRequestParams
                {
                    Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = $"Summarize: {text}" }] }],
                    MaxTokens = 64,
                }, ct);
                return Text($"sampled: {string.Join(" ", sampled.Content.OfType<TextContentBlock>().Select(b => b.Text))}");
            }
            case "chatty":
                await Log(ctx.Server, LoggingLevel.Debug, "debug detail", ct);
                await Log(ctx.Server, LoggingLevel.Info, "working on it", ct);
                await Log(ctx.Server, LoggingLevel.Warning, "found key AKIAIOSFODNN7EXAMPLE in the config", ct);
                return Text("chatty done");
            case "fail":
                // An upstream JSON-RPC error that carries a secret of the upstream's own ("leak"), or the caller's text.
                throw new McpProtocolException(text == "leak" ? "upstream failed: config has ops@example.com" : $"upstream failed: {text}",
                    McpErrorCode.InternalError);
            case "structured" when text.TrimStart().StartsWith('{'):
                // The caller's JSON text as structuredContent (code mode's unmasking tests).
                return new CallToolResult { Content = [new TextContentBlock { Text = "see structuredContent" }], StructuredContent = JsonDocument.Parse(text).RootElement.Clone() };
            case "structured":
                // Secrets only in structure: a card as a JSON number and an AWS key as a property name.
                return new CallToolResult
                {
                    Content = [new TextContentBlock { Text = "see structured content" }],
                    StructuredContent = JsonSerializer.SerializeToElement(new Dictionary<string, object>
                    {
                        ["card"] = 4111111111111111, ["AKIAIOSFODNN7EXAMPLE"] = true,
                    }),
                };
            case "slow":
                try { await Task.Delay(int.TryParse(text, out var ms) ? ms : 1000, ct); }
                finally { SlowCallEnded.Release(); }
                return Text("done");
            case "raw" when _tools.Any(x => x.Name == "raw"):
                return Text(text);
            default:
                if (_tools.Any(x => x.Name == p.Name)) return Text($"{p.Name}: {text}");
                throw new McpProtocolException($"no tool {p.Name}", McpErrorCode.InvalidParams);
        }
    }

    // The fixture serves legacy SSE on purpose: the portal must still reach such upstreams.
#pragma warning disable MCP9004
    private static void EnableLegacySse(ModelContextProtocol.AspNetCore.HttpServerTransportOptions o) => o.EnableLegacySse = true;
#pragma warning restore MCP9004

    // Honours the level its client set, as a well-behaved server does.
    private async Task Log(ModelContextProtocol.Server.McpServer server, LoggingLevel level, string message, CancellationToken ct)
    {
        if (LogLevelSet is not { } minimum || level < minimum) return;
        await server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification,
            new LoggingMessageNotificationParams { Level = level, Logger = "fixture", Data = JsonSerializer.SerializeToElement(message) },
            McpJsonUtilities.DefaultOptions, ct);
        await Task.Delay(20, ct); // spaced like real work (see the progress tool)
    }

    private static CallToolResult Text(string text) => new() { Content = [new TextContentBlock { Text = text }] };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
