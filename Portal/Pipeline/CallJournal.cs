using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using ModelContextProtocol;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Dlp;
using ShadowMcp.Portal.Policy;
using ShadowMcp.Portal.Telemetry;
using ShadowMcp.Portal.Upstreams;

namespace ShadowMcp.Portal.Pipeline;

/// <summary>
/// The last stage of the one pipeline: runs a request's steps and writes exactly one audit row, whichever step
/// ended it. Every entry uses it (SDK handlers, code mode, and questions an upstream relays to a caller mid-call),
/// so outcomes, reasons and DLP detector names are recorded the same way everywhere.
/// </summary>
/// It also counts the request (<see cref="PortalMetrics"/>) and wraps its steps in one span (<see cref="PortalTracing"/>).
internal sealed class CallJournal(PortalConfig config, AuditLog audit, PortalMetrics metrics)
{
    /// <summary>
    /// The outcome is the result's (<paramref name="outcomeOf"/>, default <see cref="CallOutcome.Ok"/>), or the
    /// refusal's or failure's that ended the steps (mapped to audit strings in <see cref="CallOutcomes"/>).
    /// </summary>
    /// <param name="ct">The caller's cancellation: it ends the wait for room in a full audit log before the steps
    /// run (<see cref="AuditLog.AdmitAsync"/>); once they ran, the row waits for room whatever the caller does.</param>
    /// <exception cref="PortalRefusal">The audit store cannot be written now: the call is not run (default deny).</exception>
    public async Task<T> RunAsync<T>(CallRecord call, Func<CallRecord, Task<T>> steps, Func<T, CallOutcome>? outcomeOf = null,
        CancellationToken ct = default)
    {
        using var span = PortalTracing.Source.StartActivity(call.Method);
        try
        {
            await AdmitAsync(ct);
        }
        catch (PortalRefusal)
        {
            call.Outcome = CallOutcome.AuditUnavailable;
            metrics.Call(call.Method, call.Server, call.CatalogTool ?? "", CallOutcomes.AuditName(call.Outcome), call.Elapsed, []);
            throw;
        }
        try
        {
            var result = await steps(call);
            call.Outcome = outcomeOf?.Invoke(result) ?? CallOutcome.Ok;
            return result;
        }
        catch (PortalRefusal e)
        {
            call.Outcome = e.Outcome;
            if (e.Reason is { } reason) call.Reason = reason;
            throw;
        }
        catch (DlpBlockedException)
        {
            call.Outcome = CallOutcome.DlpBlocked;
            throw;
        }
        catch (UpstreamUnavailableException e)
        {
            call.Outcome = CallOutcome.UpstreamUnavailable;
            throw new PortalRefusal(e.Message, PortalRefusal.UpstreamUnavailableCode, CallOutcome.UpstreamUnavailable);
        }
        catch (McpProtocolException)
        {
            // The step that saw the error set the outcome (the upstream's error, or the caller's to a relayed
            // question); one nobody classified stays an error.
            throw;
        }
        catch (OperationCanceledException)
        {
            call.Outcome = CallOutcome.Cancelled;
            throw;
        }
        finally
        {
            // The call ran, so its row is kept: with the log full it waits here for room, cancelled or not (new calls
            // wait at AdmitAsync meanwhile, so no more rows than the bound are ever held).
            await audit.EnqueueAsync(Record(call));
            metrics.Call(call.Method, call.Server, call.CatalogTool ?? "", CallOutcomes.AuditName(call.Outcome), call.Elapsed,
                call.Dlp.SelectMany(d => d.Detectors.Select(detector => (d.Direction, detector))));
            if (span is not null) Describe(span, call);
        }
    }

    /// <summary>
    /// Waits until the audit log has room for a request's row (<see cref="AuditLog.AdmitAsync"/>); for entries that
    /// write their own row (code mode) and for <see cref="RunAsync{T}"/>. A request refused here has no row of its own
    /// (the log has no room for one): it is counted in the log's summary of calls turned away.
    /// </summary>
    /// <exception cref="PortalRefusal">The audit store cannot be written now (default deny).</exception>
    public async Task AdmitAsync(CancellationToken ct)
    {
        try
        {
            await audit.AdmitAsync(ct);
        }
        catch (AuditUnavailableException e)
        {
            throw new PortalRefusal(e.Message, PortalRefusal.AuditUnavailableCode, CallOutcome.AuditUnavailable);
        }
    }

    /// <summary>
    /// One row for a request that ended before any step ran (code mode's per-execution limits, unparseable
    /// arguments) or for a code-mode execution itself: the same shape, arguments (or code) by size and hash only.
    /// Completes once the row is queued (it waits for room like a call's), or committed when <paramref name="durable"/>.
    /// </summary>
    public Task WriteAsync(PortalCaller caller, string? server, string method, string? name, string rawArguments, TimeSpan elapsed,
        string outcome, string reason, bool durable = false)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(rawArguments);
        return Write(new AuditRecord(caller.User, caller.GroupLabel, caller.ClientName, caller.ClientVersion, server, method, name,
            bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), null, elapsed.TotalMilliseconds, outcome, reason, null,
            caller.ExecutionId), durable);
    }

    /// <summary>
    /// The same row for a request whose arguments the portal never received, only their size (a code-mode call
    /// over maxArgumentBytes): no hash, since nothing was read to hash.
    /// </summary>
    public Task WriteUnreadAsync(PortalCaller caller, string? server, string method, string? name, long argumentBytes,
        string outcome, string reason) =>
        Write(new AuditRecord(caller.User, caller.GroupLabel, caller.ClientName, caller.ClientVersion, server, method, name,
            argumentBytes, null, null, 0, outcome, reason, null, caller.ExecutionId), durable: false);

    private Task Write(AuditRecord record, bool durable) =>
        durable ? audit.AppendAsync(record, CancellationToken.None) : audit.EnqueueAsync(record);

    /// <summary>Span attributes from the same bounded sets as the metric labels: never arguments or caller text.</summary>
    private static void Describe(Activity span, CallRecord call)
    {
        var outcome = CallOutcomes.AuditName(call.Outcome);
        span.SetTag("mcp.method.name", call.Method);
        if (call.Server is { } server) span.SetTag("shadowmcp.server", server);
        if (call.CatalogTool is { } tool)
        {
            span.SetTag("gen_ai.tool.name", tool);
            span.DisplayName = $"{call.Method} {tool}";
        }
        span.SetTag("shadowmcp.outcome", outcome);
        if (call.Outcome is not (CallOutcome.Ok or CallOutcome.Accepted)) span.SetStatus(ActivityStatusCode.Error, outcome);
    }

    private AuditRecord Record(CallRecord call)
    {
        long size = 0;
        string? hash = null, stored = null;
        if (call.Arguments is { } arguments)
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
        var caller = call.Caller;
        return new AuditRecord(caller.User, caller.GroupLabel, caller.ClientName, caller.ClientVersion, call.Server, call.Method, call.Name,
            size, hash, stored, call.Elapsed.TotalMilliseconds, CallOutcomes.AuditName(call.Outcome), call.Reason, call.DlpHits, caller.ExecutionId);
    }
}
