using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace ShadowMcp.Portal.Tests.Fixtures;

// The conformance scenarios for 2025-11-25 use logging and sampling, deprecated from 2026-07-28 (SEP-2577).
#pragma warning disable MCP9005

/// <summary>
/// A C# SDK server with the tools, prompts and resources the official conformance server scenarios call,
/// placed behind the portal so the suite exercises the proxy path.
/// </summary>
internal sealed class ConformanceUpstream : IAsyncDisposable
{
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    private const string Wav = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=";
    private readonly WebApplication _app;

    private ConformanceUpstream(WebApplication app) => _app = app;

    public string McpUrl => _app.Urls.First() + "/mcp";

    public static async Task<ConformanceUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation { Name = "conformance-fixture", Version = "1.0.0" };
                o.Capabilities = new ServerCapabilities { Logging = new LoggingCapability() };
            })
            .WithHttpTransport(o => o.SessionMode = ModelContextProtocol.AspNetCore.HttpServerSessionMode.StatefulForInitializeClients)
            .WithListToolsHandler((_, _) => ValueTask.FromResult(new ListToolsResult { Tools = Tools() }))
            .WithCallToolHandler((ctx, ct) => CallAsync(ctx, ct))
            .WithSetLoggingLevelHandler((_, _) => ValueTask.FromResult(new EmptyResult()))
            .WithListResourceTemplatesHandler((_, _) => ValueTask.FromResult(new ListResourceTemplatesResult
            {
                ResourceTemplates = [new ResourceTemplate { UriTemplate = "test://template/{id}/data", Name = "template", MimeType = "application/json" }],
            }))
            .WithListPromptsHandler((_, _) => ValueTask.FromResult(new ListPromptsResult { Prompts = Prompts() }))
            .WithGetPromptHandler((ctx, _) => ValueTask.FromResult(GetPrompt(ctx.Params!.Name, ctx.Params.Arguments)))
            .WithCompleteHandler((ctx, _) => ValueTask.FromResult(new CompleteResult
            {
                Completion = new Completion { Values = ctx.Params!.Ref is PromptReference { Name: "test_prompt_with_arguments" } ? ["paris", "park", "party"] : [] },
            }))
            .WithListResourcesHandler((_, _) => ValueTask.FromResult(new ListResourcesResult
            {
                Resources =
                [
                    new Resource { Uri = "test://static-text", Name = "static-text", MimeType = "text/plain", Description = "Static text" },
                    new Resource { Uri = "test://static-binary", Name = "static-binary", MimeType = "image/png", Description = "Static binary" },
                ],
            }))
            .WithReadResourceHandler((ctx, _) => ValueTask.FromResult(new ReadResourceResult
            {
                Contents = ctx.Params!.Uri.StartsWith("test://template/", StringComparison.Ordinal)
                    ? [new TextResourceContents { Uri = ctx.Params.Uri, MimeType = "application/json", Text = TemplateData(ctx.Params.Uri) }]
                    : ctx.Params!.Uri == "test://static-binary"
                    ? [BlobResourceContents.FromBytes(Convert.FromBase64String(Png), ctx.Params.Uri, "image/png")]
                    : [new TextResourceContents { Uri = ctx.Params.Uri, MimeType = "text/plain", Text = "This is the content of the static text resource." }],
            }));
        var app = builder.Build();
        app.MapMcp("/mcp");
        await app.StartAsync();
        return new ConformanceUpstream(app);
    }

    private static string TemplateData(string uri)
    {
        var id = uri["test://template/".Length..].Split('/')[0];
        return JsonSerializer.Serialize(new { id, templateTest = true, data = $"Data for ID: {id}" });
    }

    /// <summary>The scenarios where the server talks back in the middle of a call, which the portal must relay.</summary>
    private static async ValueTask<CallToolResult> CallAsync(ModelContextProtocol.Server.RequestContext<CallToolRequestParams> ctx, CancellationToken ct)
    {
        var p = ctx.Params!;
        string Arg(string name) => p.Arguments is { } a && a.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        switch (p.Name)
        {
            case "test_tool_with_logging":
                foreach (var (message, wait) in new[] { ("Tool execution started", 50), ("Tool processing data", 50), ("Tool execution completed", 0) })
                {
                    await ctx.Server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification,
                        new LoggingMessageNotificationParams { Level = LoggingLevel.Info, Data = JsonSerializer.SerializeToElement(message) },
                        ModelContextProtocol.McpJsonUtilities.DefaultOptions, ct);
                    await Task.Delay(wait, ct);
                }
                return Text("Tool with logging executed successfully");
            case "test_tool_with_progress":
                foreach (var step in new[] { 0, 50, 100 })
                {
                    if (p.ProgressToken is { } token)
                        await ctx.Server.NotifyProgressAsync(token, new ModelContextProtocol.ProgressNotificationValue { Progress = step, Total = 100 }, cancellationToken: ct);
                    await Task.Delay(50, ct);
                }
                return Text("Tool with progress executed successfully");
            case "test_sampling":
            {
                var answer = await ctx.Server.SampleAsync(new CreateMessageRequestParams
                {
                    Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = Arg("prompt") }] }],
                    MaxTokens = 100,
                }, ct);
                return Text("LLM response: " + string.Join(" ", answer.Content.OfType<TextContentBlock>().Select(b => b.Text)));
            }
            case "test_elicitation":
                return await Elicit(ctx, "{\"message\": " + JsonSerializer.Serialize(Arg("message")) + """
                    , "requestedSchema": {"type": "object", "properties": {
                      "username": {"type": "string", "description": "User's response"},
                      "email": {"type": "string", "description": "User's email address"}}, "required": ["username", "email"]}}
                    """, "User response: ", ct);
            case "test_elicitation_sep1034_defaults":
                return await Elicit(ctx, """
                    {"message": "Please review and update the form fields with defaults", "requestedSchema": {"type": "object", "properties": {
                      "name": {"type": "string", "description": "User name", "default": "John Doe"},
                      "age": {"type": "integer", "description": "User age", "default": 30},
                      "score": {"type": "number", "description": "User score", "default": 95.5},
                      "status": {"type": "string", "description": "User status", "enum": ["active", "inactive", "pending"], "default": "active"},
                      "verified": {"type": "boolean", "description": "Verification status", "default": true}}}}
                    """, "Elicitation completed: ", ct);
            case "test_elicitation_sep1330_enums":
                return await Elicit(ctx, """
                    {"message": "Please select options from the enum fields", "requestedSchema": {"type": "object", "properties": {
                      "untitledSingle": {"type": "string", "description": "Select one option", "enum": ["option1", "option2", "option3"]},
                      "titledSingle": {"type": "string", "description": "Select one option with titles", "oneOf": [
                        {"const": "value1", "title": "First Option"}, {"const": "value2", "title": "Second Option"}, {"const": "value3", "title": "Third Option"}]},
                      "legacyEnum": {"type": "string", "description": "Select one option (legacy)", "enum": ["opt1", "opt2", "opt3"],
                        "enumNames": ["Option One", "Option Two", "Option Three"]},
                      "untitledMulti": {"type": "array", "description": "Select multiple options", "minItems": 1, "maxItems": 3,
                        "items": {"type": "string", "enum": ["option1", "option2", "option3"]}},
                      "titledMulti": {"type": "array", "description": "Select multiple options with titles", "minItems": 1, "maxItems": 3,
                        "items": {"anyOf": [{"const": "value1", "title": "First Choice"}, {"const": "value2", "title": "Second Choice"}, {"const": "value3", "title": "Third Choice"}]}}}}}
                    """, "Elicitation completed: ", ct);
            default:
                return Call(p.Name);
        }
    }

    private static async ValueTask<CallToolResult> Elicit(ModelContextProtocol.Server.RequestContext<CallToolRequestParams> ctx, string request, string prefix, CancellationToken ct)
    {
        var ask = JsonSerializer.Deserialize<ElicitRequestParams>(request, ModelContextProtocol.McpJsonUtilities.DefaultOptions)!;
        var answer = await ctx.Server.ElicitAsync(ask, ct);
        return Text($"{prefix}action={answer.Action}, content={JsonSerializer.Serialize(answer.Content, ModelContextProtocol.McpJsonUtilities.DefaultOptions)}");
    }

    private static CallToolResult Text(string text) => new() { Content = [new TextContentBlock { Text = text }] };

    private static Tool T(string name, string description, object? schema = null) => new()
    {
        Name = name,
        Description = description,
        InputSchema = JsonSerializer.SerializeToElement(schema ?? new { type = "object", properties = new { } }),
    };

    private static List<Tool> Tools() =>
    [
        T("test_simple_text", "Returns simple text"),
        T("test_image_content", "Returns an image"),
        T("test_audio_content", "Returns audio"),
        T("test_embedded_resource", "Returns an embedded resource"),
        T("test_multiple_content_types", "Returns text, image and resource"),
        T("test_error_handling", "Always fails"),
        T("test_tool_with_logging", "Logs three messages while it runs"),
        T("test_tool_with_progress", "Reports progress 0, 50, 100 of 100"),
        T("test_sampling", "Asks the client's model", new { type = "object", properties = new { prompt = new { type = "string" } }, required = new[] { "prompt" } }),
        T("test_elicitation", "Asks the user", new { type = "object", properties = new { message = new { type = "string" } }, required = new[] { "message" } }),
        T("test_elicitation_sep1034_defaults", "Asks with defaults for every primitive type"),
        T("test_elicitation_sep1330_enums", "Asks with every enum variant"),
        new Tool
        {
            Name = "json_schema_2020_12_tool",
            Description = "Tool with a JSON Schema 2020-12 input schema",
            InputSchema = JsonDocument.Parse("""
            {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
             "$defs":{"address":{"type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"}}}},
             "properties":{"name":{"type":"string"},"address":{"$ref":"#/$defs/address"}},
             "additionalProperties":false}
            """).RootElement,
        },
    ];

    private static CallToolResult Call(string name) => name switch
    {
        "test_simple_text" => new() { Content = [new TextContentBlock { Text = "This is a simple text response for testing." }] },
        "test_image_content" => new() { Content = [ImageContentBlock.FromBytes(Convert.FromBase64String(Png), "image/png")] },
        "test_audio_content" => new() { Content = [AudioContentBlock.FromBytes(Convert.FromBase64String(Wav), "audio/wav")] },
        "test_embedded_resource" => new() { Content = [Embedded()] },
        "test_multiple_content_types" => new()
        {
            Content = [new TextContentBlock { Text = "Multiple content types test:" }, ImageContentBlock.FromBytes(Convert.FromBase64String(Png), "image/png"), Embedded()],
        },
        "test_error_handling" => new() { IsError = true, Content = [new TextContentBlock { Text = "This tool intentionally returns an error for testing" }] },
        _ => new() { IsError = true, Content = [new TextContentBlock { Text = $"unknown tool {name}" }] },
    };

    private static EmbeddedResourceBlock Embedded() => new()
    {
        Resource = new TextResourceContents { Uri = "test://embedded-resource", MimeType = "text/plain", Text = "This is an embedded resource content." },
    };

    private static List<Prompt> Prompts() =>
    [
        new Prompt { Name = "test_simple_prompt", Description = "A simple prompt" },
        new Prompt
        {
            Name = "test_prompt_with_arguments",
            Description = "A prompt with arguments",
            Arguments = [new PromptArgument { Name = "arg1", Required = true }, new PromptArgument { Name = "arg2", Required = true }],
        },
        new Prompt { Name = "test_prompt_with_embedded_resource", Description = "A prompt with a resource", Arguments = [new PromptArgument { Name = "resourceUri", Required = true }] },
        new Prompt { Name = "test_prompt_with_image", Description = "A prompt with an image" },
    ];

    private static GetPromptResult GetPrompt(string name, IDictionary<string, JsonElement>? args)
    {
        string Arg(string key) => args is not null && args.TryGetValue(key, out var v) ? v.GetString() ?? "" : "";
        ContentBlock content = name switch
        {
            "test_prompt_with_arguments" => new TextContentBlock { Text = $"Prompt with arguments: arg1='{Arg("arg1")}', arg2='{Arg("arg2")}'" },
            "test_prompt_with_embedded_resource" => new EmbeddedResourceBlock
            {
                Resource = new TextResourceContents { Uri = Arg("resourceUri"), MimeType = "text/plain", Text = "Embedded resource content for testing." },
            },
            "test_prompt_with_image" => ImageContentBlock.FromBytes(Convert.FromBase64String(Png), "image/png"),
            _ => new TextContentBlock { Text = "This is a simple prompt for testing." },
        };
        return new GetPromptResult { Messages = [new PromptMessage { Role = Role.User, Content = content }] };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
