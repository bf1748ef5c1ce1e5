using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace ShadowMcp.Portal.Tests.Fixtures;

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
        builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "conformance-fixture", Version = "1.0.0" })
            .WithHttpTransport(o => o.SessionMode = ModelContextProtocol.AspNetCore.HttpServerSessionMode.StatefulForInitializeClients)
            .WithListToolsHandler((_, _) => ValueTask.FromResult(new ListToolsResult { Tools = Tools() }))
            .WithCallToolHandler((ctx, _) => ValueTask.FromResult(Call(ctx.Params!.Name)))
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
                Contents = ctx.Params!.Uri == "test://static-binary"
                    ? [BlobResourceContents.FromBytes(Convert.FromBase64String(Png), ctx.Params.Uri, "image/png")]
                    : [new TextResourceContents { Uri = ctx.Params.Uri, MimeType = "text/plain", Text = "This is the content of the static text resource." }],
            }));
        var app = builder.Build();
        app.MapMcp("/mcp");
        await app.StartAsync();
        return new ConformanceUpstream(app);
    }

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
