namespace ShadowMcp.Portal.Upstreams;

/// <summary>
/// One upstream request's deadline, kept on the portal's <see cref="TimeProvider"/> (a fake one in tests) and
/// linked to the caller's cancellation. <see cref="UpstreamClocks"/> pauses <see cref="Clock"/> while the
/// upstream waits on the caller.
/// </summary>
internal sealed class UpstreamDeadline : IDisposable
{
    private readonly CancellationTokenSource _linked;

    public UpstreamDeadline(TimeSpan timeout, TimeProvider time, CancellationToken caller)
    {
        Timeout = timeout;
        Clock = new CancellationTokenSource(timeout, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, Clock.Token);
    }

    /// <summary>Cancels when the deadline passes; its timer comes from the time provider, so CancelAfter does too.</summary>
    public CancellationTokenSource Clock { get; }

    public TimeSpan Timeout { get; }

    /// <summary>Cancelled by the deadline or by the caller.</summary>
    public CancellationToken Token => _linked.Token;

    public void Dispose()
    {
        _linked.Dispose();
        Clock.Dispose();
    }
}
