using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Gateway;
using ShadowMcp.Portal.Policy;
using ShadowMcp.Portal.Upstreams;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>
/// Runs a code-mode request: lists the caller's tools through the gateway, runs the script on its own thread,
/// sends every tool call the script makes through the gateway (policy, DLP, audit) under one execution id.
/// </summary>
internal sealed class CodeModeRunner(PortalConfig config, PortalGateway gateway, UpstreamRegistry registry, AuditLog audit)
{
    private const int EngineStackBytes = 16 * 1024 * 1024;
    private readonly SemaphoreSlim _executions = new(config.CodeMode.MaxConcurrentExecutions, config.CodeMode.MaxConcurrentExecutions);

    public CodeModeSettings Settings => config.CodeMode;

    public async Task<CallToolResult> RunAsync(PortalCaller caller, SandboxMode mode, string code, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var executionId = "cm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var scoped = caller with { ExecutionId = executionId };
        var tool = mode == SandboxMode.Search ? CodeModeTools.Search : CodeModeTools.Execute;
        if (code.Length > Settings.MaxCodeChars)
            throw new McpProtocolException($"code is longer than {Settings.MaxCodeChars} characters", McpErrorCode.InvalidParams);
        if (!await _executions.WaitAsync(TimeSpan.FromSeconds(5), ct)) throw PortalErrors.TooBusy();
        SandboxOutcome outcome;
        try
        {
            var catalog = await ToolListAsync(scoped, ct);
            var pii = new PiiVault();
            using var perCall = new SemaphoreSlim(Settings.MaxConcurrentToolCalls, Settings.MaxConcurrentToolCalls);
            var request = new SandboxRequest(code, mode, catalog.Ids,
                () => catalog.ToolsJson(),
                names => catalog.Declarations(names),
                (name, json, token) => CallAsync(scoped, name, json, pii, perCall, token));
            outcome = await RunOnOwnThreadAsync(request, ct);
        }
        finally { _executions.Release(); }

        var codeBytes = Encoding.UTF8.GetBytes(code);
        await audit.AppendAsync(new AuditRecord(caller.User, caller.GroupLabel, caller.ClientName, caller.ClientVersion, null, "tools/call", tool,
            codeBytes.Length, Convert.ToHexStringLower(SHA256.HashData(codeBytes)), null, sw.Elapsed.TotalMilliseconds,
            outcome.Succeeded ? "ok" : "codemode-" + outcome.Failure.ToString().ToLowerInvariant(),
            $"code mode: {outcome.ToolCalls} tool call(s)", null, executionId), CancellationToken.None);
        return CodeModeOutput.ToResult(outcome, executionId, Settings);
    }

    private async Task<CodeModeCatalog> ToolListAsync(PortalCaller caller, CancellationToken ct)
    {
        var tools = await gateway.ListToolsAsync(caller, ct);
        var catalog = registry.Catalog.Tools;
        return new CodeModeCatalog(tools.Select(t => (t, catalog.Find(t.Name)?.ServerId ?? "portal")).ToList());
    }

    private async Task<string> CallAsync(PortalCaller caller, string exposedName, string json, PiiVault pii, SemaphoreSlim perCall, CancellationToken ct)
    {
        try
        {
            await perCall.WaitAsync(ct);
            try
            {
                var args = ParseArguments(json);
                if (args is null) return Envelope.Error("tool arguments must be a JSON object");
                var server = registry.Catalog.Tools.Find(exposedName)?.ServerId;
                var detokenized = pii.Restore(args, server is null ? null : registry.Find(server)?.Config, out var refused);
                if (refused is not null) return Envelope.Error(refused);
                var result = await gateway.CallToolAsync(caller, exposedName, detokenized, ct);
                if (server is not null && Settings.TokenizePii.Contains(server, StringComparer.Ordinal)) result = pii.Tokenize(result);
                return ToolResultUnwrapper.ToEnvelope(result);
            }
            finally { perCall.Release(); }
        }
        catch (McpProtocolException e) { return Envelope.Error(e.Message); }
        catch (OperationCanceledException) { return Envelope.Error("tool call cancelled"); }
        catch (Exception) { return Envelope.Error("tool call failed"); }
    }

    private static Dictionary<string, JsonElement>? ParseArguments(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
        }
        catch (JsonException) { return null; }
    }

    /// <summary>Jint's memory limit counts the allocations of the engine's thread, so each run gets a thread of its own.</summary>
    private Task<SandboxOutcome> RunOnOwnThreadAsync(SandboxRequest request, CancellationToken ct)
    {
        var done = new TaskCompletionSource<SandboxOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try { done.SetResult(JsSandbox.Run(request, Settings, ct)); }
            catch (Exception) { done.SetResult(new SandboxOutcome(null, "internal error while running the script", SandboxFailure.Internal, "", false, 0)); }
        }, EngineStackBytes) { IsBackground = true, Name = "codemode" };
        thread.Start();
        return done.Task;
    }
}
