using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Aggregation;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Dlp;
using ShadowMcp.Portal.Policy;
using ShadowMcp.Portal.Relay;
using ShadowMcp.Portal.Upstreams;

namespace ShadowMcp.Portal.Gateway;

/// <summary>
/// The one pipeline every request goes through: catalog lookup, policy, DLP out, upstream call with limits,
/// DLP back, audit. The MCP endpoint uses it, and a later code-mode layer can call the same methods.
/// </summary>
internal sealed class PortalGateway(PortalConfig config, UpstreamRegistry registry, PolicyEngine policy, AuditLog audit)
{
    public const string ListServersTool = "portal_list_servers";
    private readonly SemaphoreSlim _calls = new(config.Portal.MaxConcurrentCalls, config.Portal.MaxConcurrentCalls);

    public async Task<IReadOnlyList<Tool>> ListToolsAsync(PortalCaller caller, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        await registry.EnsureRefreshedAsync().WaitAsync(ct);
        var visible = registry.Catalog.Tools.Tools.Where(t => policy.Decide(caller, t).Allowed).Select(t => t.Definition).ToList();
        visible.Insert(0, ListServersDefinition);
        audit.Enqueue(Record(caller, null, "tools/list", null, null, sw, "ok", $"{visible.Count} tools visible", null));
        return visible;
    }

    public async Task<CallToolResult> CallToolAsync(PortalCaller caller, string name, IDictionary<string, JsonElement>? arguments, CancellationToken ct,
        CallRelay? relay = null)
    {
        var sw = Stopwatch.StartNew();
        await registry.EnsureRefreshedAsync().WaitAsync(ct);
        if (name == ListServersTool)
        {
            audit.Enqueue(Record(caller, null, "tools/call", name, arguments, sw, "ok", "built-in", null));
            return ListServers(caller);
        }
        var tool = registry.Catalog.Tools.Find(name);
        if (tool is null)
        {
            audit.Enqueue(Record(caller, null, "tools/call", name, arguments, sw, "error", "unknown tool", null));
            throw PortalErrors.UnknownTool(name);
        }
        var decision = policy.Decide(caller, tool);
        if (!decision.Allowed)
        {
            throw Deny(caller, tool.ServerId, "tools/call", name, arguments, sw, decision);
        }
        var upstream = registry.Find(tool.ServerId)!;
        DlpScanResult? outHits = null, inHits = null;
        var outcome = "error";
        try
        {
            (var forwarded, outHits) = DlpGuard.Outbound(upstream.Config.Dlp, arguments);
            if (!await _calls.WaitAsync(TimeSpan.FromSeconds(5), ct)) throw PortalErrors.TooBusy();
            CallToolResult result;
            try { result = await CallUpstreamAsync(upstream, caller, tool.UpstreamName, forwarded, relay, ct); }
            finally { _calls.Release(); }
            (result, inHits) = DlpGuard.Inbound(upstream.Config.Dlp, result);
            outcome = result.IsError == true ? "tool-error" : "ok";
            return result;
        }
        catch (UpstreamUnavailableException e)
        {
            outcome = "upstream-unavailable";
            throw PortalErrors.Unavailable(e.Message);
        }
        catch (McpProtocolException e)
        {
            outcome = (int)e.ErrorCode == PortalErrors.DlpBlocked ? "dlp-blocked" : (int)e.ErrorCode == PortalErrors.Busy ? "busy" : "upstream-error";
            throw;
        }
        finally
        {
            var hits = Hits(outHits, inHits);
            audit.Enqueue(Record(caller, tool.ServerId, "tools/call", name, arguments, sw, outcome, decision.Reason, hits));
        }
    }

    /// <summary>
    /// The upstream call itself. Plain calls share the upstream's one session; a call with a progress token gets
    /// its progress relayed; a caller that can answer sampling or elicitation, or asked for logs, uses its own.
    /// </summary>
    private static async Task<CallToolResult> CallUpstreamAsync(UpstreamConnection upstream, PortalCaller caller, string tool,
        IDictionary<string, JsonElement>? arguments, CallRelay? relay, CancellationToken ct)
    {
        if (relay is null) return await upstream.CallToolAsync(tool, arguments, ct);
        var progress = relay.ProgressToken is { } token ? new ProgressRelay(relay.RequestServer, token, upstream.Config.Dlp.Results) : null;
        var session = relay.Session is { } s && s.NeedsPrivateSession(upstream.Config.Relay) ? s : null;
        var client = session is null ? null : await session.PrivateClientAsync(upstream, caller, ct);
        using var tracked = session?.Track(upstream.Config.Id, relay.RequestServer);
        try
        {
            return await upstream.CallToolAsync(tool, arguments, progress, client, ct,
                session is null ? null : (deadline, timeout) => session.WatchDeadline(upstream.Config.Id, deadline, timeout));
        }
        catch (UpstreamUnavailableException e) when (session is not null && !e.TimedOut)
        {
            // A broken transport, not a slow tool: the next call opens a fresh private session.
            await session.DropAsync(upstream.Config.Id, client);
            throw;
        }
        finally
        {
            if (progress is not null) await progress.DrainAsync();
        }
    }

    public async Task<IReadOnlyList<Prompt>> ListPromptsAsync(PortalCaller caller, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        await registry.EnsureRefreshedAsync().WaitAsync(ct);
        var visible = registry.Catalog.Prompts.Where(p => policy.DecideServer(caller, p.ServerId).Allowed).Select(p => p.Definition).ToList();
        audit.Enqueue(Record(caller, null, "prompts/list", null, null, sw, "ok", $"{visible.Count} prompts visible", null));
        return visible;
    }

    public async Task<GetPromptResult> GetPromptAsync(PortalCaller caller, string name, IDictionary<string, JsonElement>? arguments, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        await registry.EnsureRefreshedAsync().WaitAsync(ct);
        var prompt = registry.Catalog.FindPrompt(name) ?? throw new McpProtocolException($"Unknown prompt: '{name}'", McpErrorCode.InvalidParams);
        var decision = policy.DecideServer(caller, prompt.ServerId);
        return await ForwardReadAsync(caller, prompt.ServerId, "prompts/get", name, arguments, decision, sw,
            (u, args, t) => u.GetPromptAsync(prompt.UpstreamName, args, t), ct);
    }

    public async Task<IReadOnlyList<Resource>> ListResourcesAsync(PortalCaller caller, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        await registry.EnsureRefreshedAsync().WaitAsync(ct);
        var visible = registry.Catalog.Resources.Where(r => policy.DecideServer(caller, r.ServerId).Allowed).Select(r => r.Definition)
            .DistinctBy(r => r.Uri, StringComparer.Ordinal).ToList();
        audit.Enqueue(Record(caller, null, "resources/list", null, null, sw, "ok", $"{visible.Count} resources visible", null));
        return visible;
    }

    public async Task<IReadOnlyList<ResourceTemplate>> ListResourceTemplatesAsync(PortalCaller caller, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        await registry.EnsureRefreshedAsync().WaitAsync(ct);
        var visible = registry.Catalog.Templates.Where(t => policy.DecideServer(caller, t.ServerId).Allowed).Select(t => t.Definition)
            .DistinctBy(t => t.UriTemplate, StringComparer.Ordinal).ToList();
        audit.Enqueue(Record(caller, null, "resources/templates/list", null, null, sw, "ok", $"{visible.Count} templates visible", null));
        return visible;
    }

    public async Task<ReadResourceResult> ReadResourceAsync(PortalCaller caller, string uri, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        await registry.EnsureRefreshedAsync().WaitAsync(ct);
        var catalog = registry.Catalog;
        if (catalog.FindResource(uri) is { } listed)
            return await ForwardReadAsync(caller, listed.ServerId, "resources/read", uri, null, policy.DecideServer(caller, listed.ServerId), sw,
                (u, _, t) => u.ReadResourceAsync(uri, t), ct);

        // A URI filled into a template is text the caller chose. Route it only among servers the caller may use
        // (another server's more specific template must not capture it), refuse a tie between servers, and treat
        // it like arguments: the server's arguments DLP action, and only a redacted copy in the audit log.
        var fitting = catalog.Templates.Where(t => t.Matches(uri)).ToList();
        if (fitting.Count == 0) throw new McpProtocolException($"Unknown resource: '{uri}'", McpErrorCode.ResourceNotFound);
        var allowed = fitting.Where(t => policy.DecideServer(caller, t.ServerId).Allowed).ToList();
        if (allowed.Count == 0)
            throw Deny(caller, fitting[0].ServerId, "resources/read", Redacted(uri), null, sw, policy.DecideServer(caller, fitting[0].ServerId));
        var best = allowed[0]; // templates are ordered most specific first
        var rivals = allowed.Where(t => t.Specificity == best.Specificity && t.ServerId != best.ServerId).Select(t => t.ServerId).Distinct().ToList();
        if (rivals.Count > 0)
            throw new McpProtocolException($"Ambiguous resource: '{Redacted(uri)}' fits templates of {best.ServerId} and {string.Join(", ", rivals)}",
                McpErrorCode.InvalidParams);
        var upstream = registry.Find(best.ServerId)!;
        var action = DlpGuard.Parse(upstream.Config.Dlp.Arguments);
        var (redacted, hits) = DlpScanner.ScanText(uri, "$.uri", redact: true);
        if (hits.Count > 0 && action is DlpAction.Block or DlpAction.Redact)
        {
            // An address cannot be redacted and still name the same thing: both actions refuse the read.
            var summary = string.Join(",", hits.Select(h => h.Detector).Distinct());
            audit.Enqueue(Record(caller, best.ServerId, "resources/read", redacted, null, sw, "dlp-blocked", "template read", "arguments:" + summary));
            throw PortalErrors.Dlp("the resource URI", summary);
        }
        return await ForwardReadAsync(caller, best.ServerId, "resources/read", redacted, null, policy.DecideServer(caller, best.ServerId), sw,
            (u, _, t) => u.ReadResourceAsync(uri, t), ct);
    }

    /// <summary>Audits a refusal by policy and returns the error to throw.</summary>
    private McpProtocolException Deny(PortalCaller caller, string serverId, string method, string name,
        IDictionary<string, JsonElement>? arguments, Stopwatch sw, PolicyDecision decision)
    {
        audit.Enqueue(Record(caller, serverId, method, name, arguments, sw, "denied", decision.Reason, null));
        return PortalErrors.Denied(name, decision.Reason);
    }

    private static string Redacted(string text) => DlpScanner.ScanText(text, "$", redact: true).Text;

    /// <summary>completion/complete for a prompt (by exposed name) or a listed resource URI, routed to its server.</summary>
    public async Task<CompleteResult> CompleteAsync(PortalCaller caller, CompleteRequestParams request, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        await registry.EnsureRefreshedAsync().WaitAsync(ct);
        var catalog = registry.Catalog;
        (string ServerId, Reference Ref, string Name)? target = request.Ref switch
        {
            PromptReference p when catalog.FindPrompt(p.Name) is { } prompt =>
                (prompt.ServerId, new PromptReference { Name = prompt.UpstreamName, Title = p.Title }, p.Name),
            ResourceTemplateReference r when r.Uri is not null && catalog.FindTemplate(r.Uri) is { } template =>
                (template.ServerId, r, r.Uri),
            ResourceTemplateReference r when r.Uri is not null && catalog.FindResource(r.Uri) is { } resource =>
                (resource.ServerId, r, r.Uri),
            _ => null,
        };
        if (target is not { } t) throw new McpProtocolException("Unknown completion reference", McpErrorCode.InvalidParams);
        var decision = policy.DecideServer(caller, t.ServerId);
        // What the caller typed so far (and the other arguments in context) is caller text going upstream:
        // it passes the arguments DLP action like tool arguments, and is forwarded as DLP left it.
        const string ContextPrefix = "context.";
        var typed = new Dictionary<string, JsonElement> { [request.Argument.Name] = JsonSerializer.SerializeToElement(request.Argument.Value) };
        foreach (var (name, value) in request.Context?.Arguments ?? new Dictionary<string, string>())
            typed.TryAdd(ContextPrefix + name, JsonSerializer.SerializeToElement(value));
        return await ForwardReadAsync(caller, t.ServerId, "completion/complete", t.Name, typed, decision, sw,
            (u, clean, c) => u.CompleteAsync(new CompleteRequestParams
            {
                Ref = t.Ref,
                Argument = new Argument { Name = request.Argument.Name, Value = clean![request.Argument.Name].GetString() ?? "" },
                Context = request.Context is null ? null : new CompleteContext
                {
                    Arguments = clean.Where(kv => kv.Key.StartsWith(ContextPrefix, StringComparison.Ordinal))
                        .ToDictionary(kv => kv.Key[ContextPrefix.Length..], kv => kv.Value.GetString() ?? ""),
                },
            }, c), ct);
    }

    private async Task<T> ForwardReadAsync<T>(PortalCaller caller, string serverId, string method, string name,
        IDictionary<string, JsonElement>? arguments, PolicyDecision decision, Stopwatch sw,
        Func<UpstreamConnection, IDictionary<string, JsonElement>?, CancellationToken, Task<T>> send, CancellationToken ct) where T : class
    {
        if (!decision.Allowed)
        {
            throw Deny(caller, serverId, method, name, arguments, sw, decision);
        }
        var upstream = registry.Find(serverId)!;
        DlpScanResult? outHits = null, inHits = null;
        var outcome = "error";
        try
        {
            (var forwarded, outHits) = DlpGuard.Outbound(upstream.Config.Dlp, arguments);
            var result = await send(upstream, forwarded, ct);
            (result, inHits) = DlpGuard.Inbound(upstream.Config.Dlp, result);
            outcome = "ok";
            return result;
        }
        catch (UpstreamUnavailableException e)
        {
            outcome = "upstream-unavailable";
            throw PortalErrors.Unavailable(e.Message);
        }
        catch (McpProtocolException e)
        {
            outcome = (int)e.ErrorCode == PortalErrors.DlpBlocked ? "dlp-blocked" : "upstream-error";
            throw;
        }
        finally
        {
            audit.Enqueue(Record(caller, serverId, method, name, arguments, sw, outcome, decision.Reason, Hits(outHits, inHits)));
        }
    }

    private CallToolResult ListServers(PortalCaller caller)
    {
        var servers = registry.Status()
            .Where(s => policy.DecideServer(caller, s.Id).Allowed)
            .Select(s => new { id = s.Id, prefix = s.Prefix, transport = s.Transport, healthy = s.Healthy, error = s.LastError, tools = s.ToolCount, hiddenTools = s.HiddenTools })
            .ToList();
        var json = JsonSerializer.Serialize(new { servers });
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = json }],
            StructuredContent = JsonSerializer.SerializeToElement(new { servers }),
        };
    }

    private static readonly Tool ListServersDefinition = new()
    {
        Name = ListServersTool,
        Description = "List the MCP servers this portal offers you, with their health and tool counts.",
        InputSchema = JsonSerializer.SerializeToElement(new { type = "object", properties = new { } }),
        Annotations = new ToolAnnotations { ReadOnlyHint = true, OpenWorldHint = false },
    };

    private static string? Hits(DlpScanResult? outbound, DlpScanResult? inbound)
    {
        var parts = new List<string>();
        if (outbound is { Hits.Count: > 0 }) parts.Add("arguments:" + outbound.Summary);
        if (inbound is { Hits.Count: > 0 }) parts.Add("result:" + inbound.Summary);
        return parts.Count == 0 ? null : string.Join(";", parts);
    }

    private AuditRecord Record(PortalCaller caller, string? server, string method, string? tool,
        IDictionary<string, JsonElement>? arguments, Stopwatch sw, string outcome, string decision, string? dlpHits)
    {
        long size = 0;
        string? hash = null, stored = null;
        if (arguments is not null)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(arguments, McpJsonUtilities.DefaultOptions);
            size = bytes.Length;
            hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (config.Portal.AuditArguments)
            {
                // Kept arguments are redacted whatever the server's DLP action: the audit log must not become a secret store.
                var node = System.Text.Json.Nodes.JsonNode.Parse(bytes);
                DlpScanner.Scan(node, redact: true);
                stored = node?.ToJsonString();
            }
        }
        return new AuditRecord(caller.User, caller.GroupLabel, caller.ClientName, caller.ClientVersion, server, method, tool,
            size, hash, stored, sw.Elapsed.TotalMilliseconds, outcome, decision, dlpHits, caller.ExecutionId);
    }
}
