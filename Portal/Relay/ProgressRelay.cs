using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ShadowMcp.Portal.Relay;

/// <summary>
/// Passes an upstream's progress for one call on to the caller, under the caller's own progress token (the
/// upstream saw a token the SDK minted, never the caller's). Sends stay in order, and the call's result waits
/// for them (<see cref="DrainAsync"/>) so no progress arrives after the answer.
/// </summary>
internal sealed class ProgressRelay(McpServer caller, ProgressToken token) : IProgress<ProgressNotificationValue>
{
    private readonly Lock _gate = new();
    private Task _last = Task.CompletedTask;

    public void Report(ProgressNotificationValue value)
    {
        lock (_gate) _last = _last.ContinueWith(_ => SendAsync(value), TaskScheduler.Default).Unwrap();
    }

    private async Task SendAsync(ProgressNotificationValue value)
    {
        try { await caller.NotifyProgressAsync(token, value); }
        catch (Exception) { /* the caller went away; its call result will fail the same way */ }
    }

    public Task DrainAsync()
    {
        lock (_gate) return _last.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
