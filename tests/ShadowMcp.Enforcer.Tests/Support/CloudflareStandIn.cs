using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ShadowMcp.Enforcer.Tests.Support;

/// <summary>
/// A stand-in for Cloudflare's Gateway rules API on 127.0.0.1. It answers with Cloudflare's published envelope
/// ({success, errors, messages, result}) and rejects requests that do not match the published rule shape:
/// bearer token, known actions and filters, string traffic expression, redirect rules with a target_uri, and no
/// unknown top-level fields. What it cannot check (wirefilter semantics, precedence rules, rate limits) is
/// listed in docs/enforcer.md.
/// </summary>
internal sealed class CloudflareStandIn : IAsyncDisposable
{
    private static readonly HashSet<string> Actions =
        ["on", "off", "allow", "block", "scan", "noscan", "safesearch", "ytrestricted", "isolate", "noisolate", "override",
         "l4_override", "egress", "resolve", "quarantine", "redirect"];
    private static readonly HashSet<string> Filters = ["http", "dns", "l4", "egress", "dns_resolver"];
    private static readonly HashSet<string> Fields =
        ["name", "description", "action", "enabled", "filters", "traffic", "identity", "device_posture", "precedence", "rule_settings", "schedule", "expiration"];

    private readonly WebApplication _app;

    public ConcurrentDictionary<string, JsonObject> Rules { get; } = new();
    public ConcurrentQueue<string> Calls { get; } = new();
    public string BaseUrl { get; private set; } = "";

    private CloudflareStandIn(WebApplication app) => _app = app;

    public static async Task<CloudflareStandIn> StartAsync(string account, string token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var self = new CloudflareStandIn(app);
        var prefix = $"/client/v4/accounts/{account}/gateway/rules";

        app.Use(async (ctx, next) =>
        {
            self.Calls.Enqueue($"{ctx.Request.Method} {ctx.Request.Path}");
            if (ctx.Request.Headers.Authorization != $"Bearer {token}")
            {
                await Envelope(403, null, (10000, "Authentication error")).ExecuteAsync(ctx);
                return;
            }
            await next();
        });
        app.MapGet(prefix, IResult () => Envelope(200, new JsonArray([.. self.Rules.Values.Select(r => r.DeepClone())])));
        app.MapPost(prefix, async Task<IResult> (HttpContext ctx) =>
        {
            var (rule, error) = await ReadRule(ctx);
            if (rule is null) return Envelope(400, null, (2001, error!));
            var id = Guid.NewGuid().ToString();
            rule["id"] = id;
            rule["created_at"] = DateTime.UtcNow.ToString("O");
            rule["precedence"] ??= self.Rules.Count * 1000 + 1000;
            self.Rules[id] = rule;
            return Envelope(200, rule.DeepClone());
        });
        app.MapPut(prefix + "/{id}", async Task<IResult> (HttpContext ctx, string id) =>
        {
            if (!self.Rules.ContainsKey(id)) return Envelope(404, null, (7003, "rule not found"));
            var (rule, error) = await ReadRule(ctx);
            if (rule is null) return Envelope(400, null, (2001, error!));
            rule["id"] = id;
            self.Rules[id] = rule;
            return Envelope(200, rule.DeepClone());
        });
        app.MapDelete(prefix + "/{id}", IResult (string id) =>
            self.Rules.TryRemove(id, out _) ? Envelope(200, new JsonObject()) : Envelope(404, null, (7003, "rule not found")));

        await app.StartAsync();
        self.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/client/v4";
        return self;
    }

    /// <summary>Adds a rule someone else made, which the Enforcer must leave alone.</summary>
    public void AddForeignRule(string name) =>
        Rules["foreign"] = new JsonObject { ["id"] = "foreign", ["name"] = name, ["action"] = "block", ["filters"] = new JsonArray("dns"), ["traffic"] = "any(dns.domains[*] == \"x.example\")" };

    private static async Task<(JsonObject?, string?)> ReadRule(HttpContext ctx)
    {
        if (ctx.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true) return (null, "content-type must be application/json");
        JsonObject? rule;
        try
        {
            rule = await JsonNode.ParseAsync(ctx.Request.Body) as JsonObject;
        }
        catch (System.Text.Json.JsonException ex)
        {
            return (null, "invalid JSON: " + ex.Message);
        }
        if (rule is null) return (null, "body must be a JSON object");
        foreach (var (k, _) in rule) if (!Fields.Contains(k)) return (null, $"unknown field '{k}'");
        if (rule["name"]?.GetValue<string>() is not { Length: > 0 }) return (null, "name is required");
        if (rule["action"]?.GetValue<string>() is not { } action || !Actions.Contains(action)) return (null, "action is invalid");
        if (rule["filters"] is not JsonArray filters || filters.Count == 0 || filters.Any(f => !Filters.Contains(f?.GetValue<string>() ?? "")))
            return (null, "filters is invalid");
        if (rule["traffic"] is not null && rule["traffic"]!.GetValueKind() != System.Text.Json.JsonValueKind.String) return (null, "traffic must be a string");
        if (rule["enabled"] is not null && rule["enabled"]!.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
            return (null, "enabled must be a boolean");
        if (action == "redirect" && !Uri.TryCreate(rule["rule_settings"]?["redirect"]?["target_uri"]?.GetValue<string>(), UriKind.Absolute, out _))
            return (null, "redirect rules need rule_settings.redirect.target_uri");
        return (rule, null);
    }

    private static IResult Envelope(int status, JsonNode? result, params (int Code, string Message)[] errors)
    {
        var body = new JsonObject
        {
            ["success"] = errors.Length == 0,
            ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject { ["code"] = e.Code, ["message"] = e.Message })]),
            ["messages"] = new JsonArray(),
            ["result"] = result,
        };
        return Results.Content(body.ToJsonString(), "application/json", statusCode: status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
