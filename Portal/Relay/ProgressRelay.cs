using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ShadowMcp.Portal.Dlp;

namespace ShadowMcp.Portal.Relay;

/// <summary>
/// Passes an upstream's progress for one call on to the caller, under the caller's own progress token (the
/// upstream saw a token the SDK minted, never the caller's). The message is upstream text, so it passes the
/// server's results DLP action (blocked: the step is sent without it). Sends stay in order, at most
/// <see cref="MaxQueued"/> wait (an upstream flooding a slow caller loses steps, not memory), and the call's
/// result waits for them (<see cref="DrainAsync"/>) so no progress arrives after the answer.
/// </summary>
internal sealed class ProgressRelay(McpServer caller, ProgressToken token, string dlpAction) : IProgress<ProgressNotificationValue>
{
    public const int MaxQueued = 64;
    private readonly Lock _gate = new();
    private Task _last = Task.CompletedTask;
    private int _queued;

    public void Report(ProgressNotificationValue value)
    {
        if (Interlocked.Increment(ref _queued) > MaxQueued)
        {
            Interlocked.Decrement(ref _queued);
            return;
        }
        lock (_gate) _last = _last.ContinueWith(_ => SendAsync(value), TaskScheduler.Default).Unwrap();
    }

    private async Task SendAsync(ProgressNotificationValue value)
    {
        try { await caller.NotifyProgressAsync(token, Clean(value)); }
        catch (Exception) { /* the caller went away; its call result will fail the same way */ }
        finally { Interlocked.Decrement(ref _queued); }
    }

    private ProgressNotificationValue Clean(ProgressNotificationValue value)
    {
        var action = DlpGuard.Parse(dlpAction);
        if (action == DlpAction.Off || value.Message is not { Length: > 0 } message) return value;
        var (text, hits) = DlpScanner.ScanText(message, "$.message", action == DlpAction.Redact);
        return hits.Count == 0 || action == DlpAction.Log ? value : new ProgressNotificationValue
        {
            Progress = value.Progress,
            Total = value.Total,
            Message = action == DlpAction.Redact ? text : null,
        };
    }

    public Task DrainAsync()
    {
        lock (_gate) return _last.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
