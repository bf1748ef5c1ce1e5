using System.Text.Json;
using ModelContextProtocol;
using ShadowMcp.Portal.Dlp;
using ShadowMcp.Portal.Gateway;
using ShadowMcp.Portal.Pipeline;
using ShadowMcp.Portal.Policy;
using ShadowMcp.Portal.Upstreams;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>
/// The portal side of the tool calls one execution makes. The worker is untrusted, so every limit is enforced
/// here (call count, argument size and shape, calls in flight), the caller's token is re-checked, PII tokens are
/// restored only for `restoreTo` servers, and results are decoded, DLP-checked and tokenized before the script
/// gets them. A call refused here before it reaches the gateway writes its one audit row through the journal; a
/// call that reaches the gateway gets its row there, with the decoded-result check as the pipeline's last step.
/// </summary>
internal sealed class CodeModeCalls(
    PortalCaller caller, CallerCredential credential, CodeModeSettings settings, PortalGateway gateway, UpstreamRegistry registry,
    CallJournal journal) : IDisposable
{
    private readonly PiiVault _vault = new();
    private readonly SemaphoreSlim _inFlight = new(settings.MaxConcurrentToolCalls, settings.MaxConcurrentToolCalls);
    private int _calls;

    public int Count => Volatile.Read(ref _calls);

    /// <summary>Set when the execution must end: the call limit was passed or the caller's token is no longer valid.</summary>
    public (SandboxFailure Failure, string Message)? Stop { get; private set; }

    /// <summary>Checks that need no waiting, in arrival order. Returns a refusal envelope, or null to go on.</summary>
    public string? Admit(string name, string json, out IDictionary<string, JsonElement>? arguments)
    {
        arguments = null;
        if (CountCall() is { } limit) return Refuse(name, json, CallOutcome.CallLimit, limit);
        if (json.Length > settings.MaxArgumentBytes / 3 && System.Text.Encoding.UTF8.GetByteCount(json) > settings.MaxArgumentBytes)
            return Refuse(name, json, CallOutcome.ArgumentsTooLarge, TooLarge());
        arguments = ParseArguments(json);
        if (arguments is null) return Refuse(name, json, CallOutcome.BadArguments, "tool arguments must be a JSON object");
        if (credential.Failure() is { } revoked)
        {
            Stop ??= (SandboxFailure.Revoked, "the caller's credentials are no longer valid; the execution was stopped");
            return Refuse(name, json, CallOutcome.Unauthenticated, "code mode: " + revoked);
        }
        return null;
    }

    /// <summary>
    /// A call the worker sent as its size alone (its arguments were over maxArgumentBytes): counted like any call,
    /// refused with the same error, audited with that size and no hash.
    /// </summary>
    public string AdmitUnread(string name, long size)
    {
        var (outcome, message) = CountCall() is { } limit ? (CallOutcome.CallLimit, limit) : (CallOutcome.ArgumentsTooLarge, TooLarge());
        var row = journal.WriteUnreadAsync(caller, null, "tools/call", name, size, CallOutcomes.AuditName(outcome), message);
        lock (_rows) _rows.Add(row);
        return Envelope.Error(message);
    }

    private string? CountCall()
    {
        if (Interlocked.Increment(ref _calls) <= settings.MaxToolCalls) return null;
        var message = $"tool call limit reached ({settings.MaxToolCalls} per execution)";
        Stop ??= (SandboxFailure.ToolCallLimit, message);
        return message;
    }

    private string TooLarge() => $"arguments larger than {settings.MaxArgumentBytes} bytes (codeMode.maxArgumentBytes)";

    public async Task<string> CallAsync(string name, string json, IDictionary<string, JsonElement> arguments, CancellationToken ct)
    {
        string? server = null;
        try
        {
            await _inFlight.WaitAsync(ct);
            try
            {
                // A run may have been going a while since Admit: the token is checked again just before sending.
                if (credential.Failure() is { } revoked)
                {
                    Stop ??= (SandboxFailure.Revoked, "the caller's credentials are no longer valid; the execution was stopped");
                    return Refuse(name, json, CallOutcome.Unauthenticated, "code mode: " + revoked);
                }
                server = registry.Catalog.Tools.Find(name)?.ServerId;
                var restored = _vault.Restore(arguments, server, settings.RestoreTo, out var refused);
                if (refused is not null) return Refuse(name, json, CallOutcome.DlpBlocked, refused, server);
                string? envelope = null;
                await gateway.CallToolAsync(caller, name, restored, ct, inspect: (call, result) =>
                {
                    envelope = Sanitize(call, server, result);
                    return result;
                });
                return envelope!;
            }
            finally { _inFlight.Release(); }
        }
        catch (McpProtocolException e) { return Envelope.Error(CleanError(server, e.Message)); }
        catch (OperationCanceledException) { return Envelope.Error("tool call cancelled"); }
        catch (Exception) { return Envelope.Error("tool call failed"); }
    }

    private string Sanitize(CallRecord call, string? server, ModelContextProtocol.Protocol.CallToolResult result)
    {
        var upstream = server is null ? null : registry.Find(server)?.Config;
        var action = upstream is null ? DlpAction.Off : DlpGuard.Parse(upstream.Dlp.Results);
        var sanitizer = new ResultSanitizer(action, Tokenizes(server), _vault);
        var (value, error) = ToolResultUnwrapper.Decode(result);
        string envelope = error is not null ? Envelope.Error(sanitizer.CleanText(error, "$.error")) : Envelope.Value(sanitizer.Clean(value));
        if (!sanitizer.Blocked) return envelope;
        call.AddDlp("result", sanitizer.Summary);
        var message = $"Blocked by portal DLP: the upstream result matched detector(s) {sanitizer.Summary} once decoded";
        throw new PortalRefusal(message, DlpBlockedException.Code, CallOutcome.DlpBlocked, message);
    }

    private bool Tokenizes(string? server) =>
        server is not null && (settings.TokenizePii.Contains(server, StringComparer.Ordinal) || settings.RestoreTo.Contains(server, StringComparer.Ordinal));

    /// <summary>
    /// An upstream's JSON-RPC error is upstream text like a result. The gateway already applied the server's DLP
    /// action to it; here it gets the same tokens a result would. Before, a tokenizing server's PII, and a raw value
    /// restored for a `restoreTo` server and echoed in its error, reached the script (and the model) in the clear.
    /// The portal's own refusals hold no upstream text; cleaning them changes nothing.
    /// </summary>
    private string CleanError(string? server, string message) =>
        new ResultSanitizer(DlpAction.Off, Tokenizes(server), _vault).CleanText(message, "$.error");

    private string Refuse(string name, string json, CallOutcome outcome, string message, string? server = null)
    {
        var row = journal.WriteAsync(caller, server, "tools/call", name, json, TimeSpan.Zero, CallOutcomes.AuditName(outcome), message);
        lock (_rows) _rows.Add(row);
        return Envelope.Error(message);
    }

    // Refusals' rows, queued in the background (a full audit log makes them wait); the execution waits for them.
    private readonly List<Task> _rows = [];

    /// <summary>Completes once every refused call's row is queued.</summary>
    public Task RowsQueuedAsync()
    {
        lock (_rows) return Task.WhenAll([.. _rows]);
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

    public void Dispose() => _inFlight.Dispose();
}
