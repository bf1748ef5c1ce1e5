using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.CodeMode.Worker;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Gateway;
using ShadowMcp.Portal.Pipeline;
using ShadowMcp.Portal.Policy;
using ShadowMcp.Portal.Telemetry;
using ShadowMcp.Portal.Upstreams;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>
/// Runs a code-mode request: admits it (per-user, per-group and portal-wide slots), lists the caller's tools
/// through the gateway, runs the script in a worker process and answers its tool calls through the gateway under
/// one execution id. Every request, refused, failed, killed or not, writes exactly one audit row of its own.
/// </summary>
internal sealed class CodeModeRunner : IAsyncDisposable
{
    private readonly PortalGateway _gateway;
    private readonly UpstreamRegistry _registry;
    private readonly CallJournal _journal;
    private readonly TimeProvider _time;
    private readonly ExecutionAdmission _admission;
    private readonly WorkerPool _pool;
    private readonly PortalMetrics _metrics;

    public CodeModeRunner(PortalConfig config, PortalGateway gateway, UpstreamRegistry registry, CallJournal journal, TimeProvider time,
        ILogger<CodeModeRunner> logger, PortalMetrics metrics)
    {
        _metrics = metrics;
        Settings = config.CodeMode;
        _gateway = gateway;
        _registry = registry;
        _journal = journal;
        _time = time;
        _admission = new ExecutionAdmission(Settings, time);
        _pool = new WorkerPool(Settings, logger);
        _pool.Refill();
    }

    public CodeModeSettings Settings { get; }

    /// <summary>The worker processes alive now (for the bench and tests).</summary>
    internal IReadOnlyCollection<WorkerProcess> Workers => _pool.Workers;

    public async Task<CallToolResult> RunAsync(PortalCaller caller, CallerCredential credential, SandboxMode mode, string code, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var executionId = "cm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var scoped = caller with { ExecutionId = executionId };
        await _journal.AdmitAsync(ct);
        if (code.Length > Settings.MaxCodeChars)
        {
            await AuditAsync(caller, mode, code, executionId, sw, CallOutcomes.AuditName(CallOutcome.CodeTooLarge),
                $"code is longer than {Settings.MaxCodeChars} characters", "code-size");
            throw new McpProtocolException($"code is longer than {Settings.MaxCodeChars} characters", McpErrorCode.InvalidParams);
        }
        using var lease = await _admission.AcquireAsync(caller, ct);
        if (lease is null)
        {
            await AuditAsync(caller, mode, code, executionId, sw, CallOutcomes.AuditName(CallOutcome.Busy),
                "code mode: no execution slot for this user, group or portal", "slots");
            throw PortalErrors.TooBusy();
        }
        SandboxOutcome outcome;
        try { outcome = await RunAdmittedAsync(scoped, credential, mode, code, ct); }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            outcome = new SandboxOutcome(null, "internal error while running the script", SandboxFailure.Internal, "", false, 0);
        }
        catch (OperationCanceledException)
        {
            outcome = new SandboxOutcome(null, "execution cancelled by the client", SandboxFailure.Cancelled, "", false, 0);
        }
        await AuditAsync(caller, mode, code, executionId, sw, outcome.AuditName,
            $"code mode: {outcome.ToolCalls} tool call(s)" + (outcome.Succeeded ? "" : ": " + outcome.Error), LimitOf(outcome.Failure));
        return CodeModeOutput.ToResult(outcome, executionId, Settings);
    }

    private async Task<SandboxOutcome> RunAdmittedAsync(PortalCaller caller, CallerCredential credential, SandboxMode mode, string code, CancellationToken ct)
    {
        var catalog = await ToolListAsync(caller, ct);
        WorkerProcess worker;
        try { worker = await _pool.RentAsync(ct); }
        catch (InvalidOperationException)
        {
            return new SandboxOutcome(null, "code mode is unavailable: no sandbox process could be started", SandboxFailure.Unavailable, "", false, 0);
        }
        using var calls = new CodeModeCalls(caller, credential, Settings, _gateway, _registry, _journal);
        var reusable = false;
        try
        {
            (var outcome, reusable) = await new WorkerRun(worker, calls, catalog, Settings, _time).RunAsync(code, mode, ct);
            return outcome;
        }
        finally
        {
            _pool.Return(worker, reusable);
            // The rows of refused tool calls are queued before the execution's own row.
            await calls.RowsQueuedAsync();
        }
    }

    private async Task<CodeModeCatalog> ToolListAsync(PortalCaller caller, CancellationToken ct)
    {
        var tools = await _gateway.ListToolsAsync(caller, ct);
        var catalog = _registry.Catalog.Tools;
        return new CodeModeCatalog(tools.Select(t => (t, catalog.Find(t.Name)?.ServerId ?? "portal")).ToList());
    }

    private Task AuditAsync(PortalCaller caller, SandboxMode mode, string code, string executionId, Stopwatch sw, string outcome, string decision,
        string? limit = null)
    {
        var tool = mode == SandboxMode.Search ? CodeModeTools.Search : CodeModeTools.Execute;
        _metrics.CodeMode(tool, outcome, limit);
        if (decision.Length > 500) decision = decision[..500] + "…";
        return _journal.WriteAsync(caller with { ExecutionId = executionId }, null, "tools/call", tool, code, sw.Elapsed, outcome, decision, durable: true);
    }

    /// <summary>The metrics label of a failure that is a limit (README "Metrics"), else null.</summary>
    private static string? LimitOf(SandboxFailure failure) => failure switch
    {
        SandboxFailure.Timeout or SandboxFailure.MemoryLimit or SandboxFailure.StatementLimit or SandboxFailure.RecursionLimit
            or SandboxFailure.OutputLimit or SandboxFailure.RegexTimeout or SandboxFailure.ToolCallLimit or SandboxFailure.SearchCallLimit
            => failure.ToString().ToLowerInvariant(),
        _ => null,
    };

    public async ValueTask DisposeAsync()
    {
        await _pool.DisposeAsync();
        _admission.Dispose();
    }
}
