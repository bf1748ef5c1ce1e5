using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Dlp;
using ShadowMcp.Portal.Pipeline;
using ShadowMcp.Portal.Policy;
using ShadowMcp.Portal.Relay;
using ShadowMcp.Portal.Upstreams;

namespace ShadowMcp.Portal.Gateway;

/// <summary>
/// The one pipeline every request goes through (SDK handlers and code mode alike): resolve, policy, DLP on
/// arguments, admission (rate limits, per-caller and per-upstream slots), the upstream call with its deadline,
/// DLP on results and on upstream errors, and exactly one audit row whatever step ended it
/// (<see cref="CallJournal"/>).
/// </summary>
internal sealed class PortalGateway(UpstreamRegistry registry, PolicyEngine policy, CallJournal journal, CallAdmission admission)
{
    public const string ListServersTool = "portal_list_servers";

    public async Task<IReadOnlyList<Tool>> ListToolsAsync(PortalCaller caller, CancellationToken ct) =>
        await RunAsync(new CallRecord(caller, "tools/list", null, null), async call =>
        {
            await registry.EnsureRefreshedAsync().WaitAsync(ct);
            var visible = registry.Catalog.Tools.Tools.Where(t => policy.Decide(caller, t).Allowed).Select(t => t.Definition).ToList();
            visible.Insert(0, ListServersDefinition);
            call.Reason = $"{visible.Count} tools visible";
            return (IReadOnlyList<Tool>)visible;
        }, ct: ct);

    /// <param name="inspect">A last step on the result, inside the pipeline (code mode decodes and re-checks results):
    /// a refusal it throws becomes this call's outcome, so the call still writes exactly one audit row.</param>
    public async Task<CallToolResult> CallToolAsync(PortalCaller caller, string name, IDictionary<string, JsonElement>? arguments,
        CancellationToken ct, CallRelay? relay = null, Func<CallRecord, CallToolResult, CallToolResult>? inspect = null) =>
        await RunAsync(new CallRecord(caller, "tools/call", name, arguments), async call =>
        {
            await registry.EnsureRefreshedAsync().WaitAsync(ct);
            if (name == ListServersTool)
            {
                call.Reason = "built-in";
                call.CatalogTool = ListServersTool;
                return ListServers(caller);
            }
            var tool = registry.Catalog.Tools.Find(name) ?? throw PortalErrors.UnknownTool(name);
            call.Server = tool.ServerId;
            call.CatalogTool = name;
            Authorize(call, policy.Decide(caller, tool));
            var upstream = registry.Find(tool.ServerId)!;
            var forwarded = DlpStep.Run(call, "arguments", () => DlpGuard.Outbound(upstream.Config.Dlp, arguments));
            var result = await SendAsync(call, upstream, name,
                (u, c) => CallUpstreamAsync(u, caller, tool.UpstreamName, forwarded, relay, c), ct);
            return inspect is null ? result : inspect(call, result);
        }, result => result.IsError == true ? CallOutcome.ToolError : CallOutcome.Ok, ct);

    public async Task<IReadOnlyList<Prompt>> ListPromptsAsync(PortalCaller caller, CancellationToken ct) =>
        await RunAsync(new CallRecord(caller, "prompts/list", null, null), async call =>
        {
            await registry.EnsureRefreshedAsync().WaitAsync(ct);
            var visible = registry.Catalog.Prompts.Where(p => policy.DecideServer(caller, p.ServerId).Allowed).Select(p => p.Definition).ToList();
            call.Reason = $"{visible.Count} prompts visible";
            return (IReadOnlyList<Prompt>)visible;
        }, ct: ct);

    public async Task<GetPromptResult> GetPromptAsync(PortalCaller caller, string name, IDictionary<string, JsonElement>? arguments,
        CancellationToken ct) =>
        await RunAsync(new CallRecord(caller, "prompts/get", name, arguments), async call =>
        {
            await registry.EnsureRefreshedAsync().WaitAsync(ct);
            var prompt = registry.Catalog.FindPrompt(name)
                ?? throw new PortalRefusal($"Unknown prompt: '{name}'", (int)McpErrorCode.InvalidParams, CallOutcome.UnknownTarget, "unknown prompt");
            call.Server = prompt.ServerId;
            Authorize(call, policy.DecideServer(caller, prompt.ServerId));
            var upstream = registry.Find(prompt.ServerId)!;
            var forwarded = DlpStep.Run(call, "arguments", () => DlpGuard.Outbound(upstream.Config.Dlp, arguments));
            return await SendAsync(call, upstream, name, (u, c) => u.GetPromptAsync(prompt.UpstreamName, forwarded, c), ct);
        }, ct: ct);

    public async Task<IReadOnlyList<Resource>> ListResourcesAsync(PortalCaller caller, CancellationToken ct) =>
        await RunAsync(new CallRecord(caller, "resources/list", null, null), async call =>
        {
            await registry.EnsureRefreshedAsync().WaitAsync(ct);
            var visible = registry.Catalog.Resources.Where(r => policy.DecideServer(caller, r.ServerId).Allowed).Select(r => r.Definition)
                .DistinctBy(r => r.Uri, StringComparer.Ordinal).ToList();
            call.Reason = $"{visible.Count} resources visible";
            return (IReadOnlyList<Resource>)visible;
        }, ct: ct);

    public async Task<IReadOnlyList<ResourceTemplate>> ListResourceTemplatesAsync(PortalCaller caller, CancellationToken ct) =>
        await RunAsync(new CallRecord(caller, "resources/templates/list", null, null), async call =>
        {
            await registry.EnsureRefreshedAsync().WaitAsync(ct);
            var visible = registry.Catalog.Templates.Where(t => policy.DecideServer(caller, t.ServerId).Allowed).Select(t => t.Definition)
                .DistinctBy(t => t.UriTemplate, StringComparer.Ordinal).ToList();
            call.Reason = $"{visible.Count} templates visible";
            return (IReadOnlyList<ResourceTemplate>)visible;
        }, ct: ct);

    public async Task<ReadResourceResult> ReadResourceAsync(PortalCaller caller, string uri, CancellationToken ct) =>
        // The URI is audited redacted: a template URI is text the caller chose.
        await RunAsync(new CallRecord(caller, "resources/read", Redacted(uri), null), async call =>
        {
            await registry.EnsureRefreshedAsync().WaitAsync(ct);
            var catalog = registry.Catalog;
            if (catalog.FindResource(uri) is { } listed)
            {
                call.Name = uri;
                call.Server = listed.ServerId;
                Authorize(call, policy.DecideServer(caller, listed.ServerId));
                return await SendAsync(call, registry.Find(listed.ServerId)!, uri, (u, c) => u.ReadResourceAsync(uri, c), ct);
            }
            // A URI filled into a template is text the caller chose. Route it only among servers the caller may use
            // (another server's more specific template must not capture it), refuse a tie between servers, and treat
            // it like arguments: the server's arguments DLP action.
            var fitting = catalog.Templates.Where(t => t.Matches(uri)).ToList();
            if (fitting.Count == 0)
                throw new PortalRefusal($"Unknown resource: '{call.Name}'", (int)McpErrorCode.ResourceNotFound, CallOutcome.UnknownTarget, "unknown resource");
            var allowed = fitting.Where(t => policy.DecideServer(caller, t.ServerId).Allowed).ToList();
            call.Server = (allowed.Count > 0 ? allowed[0] : fitting[0]).ServerId;
            if (allowed.Count == 0) Authorize(call, policy.DecideServer(caller, fitting[0].ServerId));
            var best = allowed[0]; // templates are ordered most specific first
            var rivals = allowed.Where(t => t.Specificity == best.Specificity && t.ServerId != best.ServerId).Select(t => t.ServerId).Distinct().ToList();
            if (rivals.Count > 0)
                throw new PortalRefusal($"Ambiguous resource: '{call.Name}' fits templates of {best.ServerId} and {string.Join(", ", rivals)}",
                    (int)McpErrorCode.InvalidParams, CallOutcome.Malformed, "ambiguous template");
            Authorize(call, policy.DecideServer(caller, best.ServerId));
            var upstream = registry.Find(best.ServerId)!;
            var (_, hits) = DlpScanner.ScanText(uri, "$.uri", redact: false);
            var result = new DlpScanResult(hits);
            call.AddDlp("arguments", result);
            if (hits.Count > 0 && DlpGuard.Parse(upstream.Config.Dlp.Arguments) is DlpAction.Block or DlpAction.Redact)
            {
                // An address cannot be redacted and still name the same thing: both actions refuse the read.
                call.Reason = "template read";
                throw new DlpBlockedException("the resource URI", result);
            }
            return await SendAsync(call, upstream, uri, (u, c) => u.ReadResourceAsync(uri, c), ct);
        }, ct: ct);

    /// <summary>completion/complete for a prompt (by exposed name) or a listed resource URI, routed to its server.</summary>
    public async Task<CompleteResult> CompleteAsync(PortalCaller caller, CompleteRequestParams request, CancellationToken ct)
    {
        // What the caller typed so far (and the other arguments in context) is caller text going upstream:
        // it passes the arguments DLP action like tool arguments, and is forwarded as DLP left it.
        const string ContextPrefix = "context.";
        var typed = new Dictionary<string, JsonElement> { [request.Argument.Name] = JsonSerializer.SerializeToElement(request.Argument.Value) };
        foreach (var (name, value) in request.Context?.Arguments ?? new Dictionary<string, string>())
            typed.TryAdd(ContextPrefix + name, JsonSerializer.SerializeToElement(value));
        return await RunAsync(new CallRecord(caller, "completion/complete", null, typed), async call =>
        {
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
            if (target is not { } t)
                throw new PortalRefusal("Unknown completion reference", (int)McpErrorCode.InvalidParams, CallOutcome.UnknownTarget, "unknown reference");
            call.Name = t.Name;
            call.Server = t.ServerId;
            Authorize(call, policy.DecideServer(caller, t.ServerId));
            var upstream = registry.Find(t.ServerId)!;
            var clean = DlpStep.Run(call, "arguments", () => DlpGuard.Outbound(upstream.Config.Dlp, typed))!;
            return await SendAsync(call, upstream, t.Name, (u, c) => u.CompleteAsync(new CompleteRequestParams
            {
                Ref = t.Ref,
                Argument = new Argument { Name = request.Argument.Name, Value = clean[request.Argument.Name].GetString() ?? "" },
                Context = request.Context is null ? null : new CompleteContext
                {
                    Arguments = clean.Where(kv => kv.Key.StartsWith(ContextPrefix, StringComparison.Ordinal))
                        .ToDictionary(kv => kv.Key[ContextPrefix.Length..], kv => kv.Value.GetString() ?? ""),
                },
            }, c), ct);
        }, ct: ct);
    }

    /// <summary>The policy step: a refusal carries the policy's reason; an allow records it for the audit row.</summary>
    private static void Authorize(CallRecord call, PolicyDecision decision)
    {
        call.Reason = decision.Reason;
        if (!decision.Allowed) throw PortalErrors.Denied(call.Name ?? call.Method, decision.Reason);
    }

    /// <summary>
    /// Admission, the upstream call, and DLP on what comes back: the result, or the upstream's JSON-RPC error
    /// (its message is upstream text like any result).
    /// </summary>
    private async Task<T> SendAsync<T>(CallRecord call, UpstreamConnection upstream, string target,
        Func<UpstreamConnection, CancellationToken, Task<T>> send, CancellationToken ct) where T : class
    {
        T result;
        using (await admission.AdmitAsync(call.Caller, upstream.Config.Id, target, ct))
        {
            try
            {
                result = await send(upstream, ct);
            }
            catch (McpProtocolException e) when (e is not PortalRefusal and not DlpBlockedException)
            {
                call.Outcome = CallOutcome.UpstreamError;
                throw DlpStep.Run(call, "error", () => DlpGuard.InboundError(upstream.Config.Dlp, e));
            }
        }
        return DlpStep.Run(call, "result", () => DlpGuard.Inbound(upstream.Config.Dlp, result));
    }

    private Task<T> RunAsync<T>(CallRecord call, Func<CallRecord, Task<T>> steps, Func<T, CallOutcome>? outcomeOf = null,
        CancellationToken ct = default) =>
        journal.RunAsync(call, steps, outcomeOf, ct);

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
            return await upstream.CallToolAsync(tool, arguments, progress, client, ct, session?.Clocks);
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

    private static string Redacted(string text) => DlpScanner.ScanText(text, "$", redact: true).Text;

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
}
