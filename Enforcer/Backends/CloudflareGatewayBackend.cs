using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>
/// Cloudflare Zero Trust Gateway HTTP policies through /accounts/{account_id}/gateway/rules: one rule per
/// blocked host, named "shadowmcp: HOST", action block (or redirect to the portal). Rules without that name
/// prefix are never touched. The API has no transactions, so each rule change is its own call; a partial
/// failure is reported and the next apply converges from what the API reads back.
/// </summary>
internal sealed partial class CloudflareGatewayBackend(string name, Uri apiBase, string accountId, string token, string? portalUrl)
    : IEnforcementBackend
{
    public const string RulePrefix = "shadowmcp: ";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Name { get; } = name;

    public IReadOnlyList<BlockEntry> Select(IReadOnlyList<BlockEntry> desired) =>
        [.. desired.Where(e => e.Kind == BlockKind.Host)
            .Select(e => e with { Action = BlockActions.IsRedirect(e.Action) && portalUrl is not null ? BlockActions.RedirectPrefix + portalUrl : BlockActions.Block })
            .Distinct()];

    public async Task<IReadOnlyList<BlockEntry>> ReadAsync(CancellationToken ct) =>
        [.. (await ListOwnRulesAsync(ct)).Select(r => r.Entry)];

    public async Task ApplyAsync(IReadOnlyList<BlockEntry> state, CancellationToken ct)
    {
        var existing = await ListOwnRulesAsync(ct);
        var want = state.ToDictionary(e => e.Target, StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var rule in existing)
        {
            try
            {
                if (!want.TryGetValue(rule.Entry.Target, out var entry))
                    await SendAsync(HttpMethod.Delete, $"rules/{rule.Id}", null, ct);
                else if (entry != rule.Entry)
                    await SendAsync(HttpMethod.Put, $"rules/{rule.Id}", RuleBody(entry), ct);
            }
            catch (BackendException ex)
            {
                errors.Add(ex.Message);
            }
        }
        var have = existing.Select(r => r.Entry.Target).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in state.Where(e => !have.Contains(e.Target)))
        {
            try
            {
                await SendAsync(HttpMethod.Post, "rules", RuleBody(entry), ct);
            }
            catch (BackendException ex)
            {
                errors.Add(ex.Message);
            }
        }
        if (errors.Count > 0) throw new BackendException($"{Name}: {errors.Count} rule change(s) failed: {string.Join("; ", errors)}");
    }

    internal static JsonObject RuleBody(BlockEntry e)
    {
        var redirect = BlockActions.IsRedirect(e.Action);
        var settings = new JsonObject
        {
            ["block_page_enabled"] = !redirect,
            ["block_reason"] = "Unsanctioned MCP server: use the company MCP portal.",
        };
        if (redirect)
            settings["redirect"] = new JsonObject { ["target_uri"] = e.Action[BlockActions.RedirectPrefix.Length..], ["preserve_path_and_query"] = false };
        return new JsonObject
        {
            ["name"] = RulePrefix + e.Target,
            ["description"] = "Shadow MCP endpoint blocked by `shadowmcp enforce`",
            ["action"] = redirect ? "redirect" : "block",
            ["enabled"] = true,
            ["filters"] = new JsonArray("http"),
            ["traffic"] = $"any(http.request.domains[*] == \"{e.Target}\")",
            ["rule_settings"] = settings,
        };
    }

    private sealed record OwnRule(string Id, BlockEntry Entry);

    private async Task<IReadOnlyList<OwnRule>> ListOwnRulesAsync(CancellationToken ct)
    {
        var result = await SendAsync(HttpMethod.Get, "rules", null, ct);
        if (result is not JsonArray rules) throw new BackendException($"{Name}: the rules list 'result' is not an array");
        var own = new List<OwnRule>();
        foreach (var r in rules.OfType<JsonObject>())
        {
            var ruleName = r["name"]?.GetValue<string>() ?? "";
            if (!ruleName.StartsWith(RulePrefix, StringComparison.Ordinal)) continue;
            var id = r["id"]?.GetValue<string>() ?? throw new BackendException($"{Name}: rule '{ruleName}' has no id");
            var traffic = r["traffic"]?.GetValue<string>() ?? "";
            var host = DomainMatch().Match(traffic) is { Success: true } m ? m.Groups[1].Value : ruleName[RulePrefix.Length..];
            var action = r["action"]?.GetValue<string>() == "redirect"
                && r["rule_settings"]?["redirect"]?["target_uri"]?.GetValue<string>() is { } target
                    ? BlockActions.RedirectPrefix + target
                    : BlockActions.Block;
            own.Add(new OwnRule(id, new BlockEntry(BlockKind.Host, host, null, null, action)));
        }
        return own;
    }

    /// <summary>One API call; unwraps Cloudflare's {success, errors, messages, result} envelope.</summary>
    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        var uri = new Uri(apiBase, $"accounts/{Uri.EscapeDataString(accountId)}/gateway/{path}");
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        HttpResponseMessage response;
        try
        {
            response = await Http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new BackendException($"{Name}: {method} {uri.AbsolutePath}: {ex.Message}", ex);
        }
        using (response)
        {
            JsonNode? envelope;
            try
            {
                envelope = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct));
            }
            catch (JsonException)
            {
                throw new BackendException($"{Name}: {method} {uri.AbsolutePath}: HTTP {(int)response.StatusCode} without a JSON envelope");
            }
            var success = envelope?["success"]?.GetValue<bool>() ?? false;
            if (!response.IsSuccessStatusCode || !success)
            {
                var errors = envelope?["errors"] is JsonArray list
                    ? string.Join(", ", list.Select(e => $"{e?["code"]}: {e?["message"]}"))
                    : "no error detail";
                throw new BackendException($"{Name}: {method} {uri.AbsolutePath}: HTTP {(int)response.StatusCode}: {errors}");
            }
            return envelope?["result"];
        }
    }

    [GeneratedRegex("""http\.request\.domains\[\*\] == "([^"]+)"\)""")]
    private static partial Regex DomainMatch();
}
