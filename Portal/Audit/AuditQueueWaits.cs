using Microsoft.Extensions.Logging;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// Counts the waits for room in the full audit log (<see cref="AuditLog.AdmitAsync"/> before a call runs,
/// <see cref="AuditLog.EnqueueAsync"/> for the row of one that ran): each one is a call slowed to the rate the store
/// commits at. Each wait goes to <paramref name="measured"/> (the
/// portal's metrics); a warning is logged at the first wait and then at most once a minute, summing the waits since
/// the last one, so a store that cannot keep up is seen without a log line per call.
/// </summary>
internal sealed partial class AuditQueueWaits(ILogger logger, TimeProvider time, Action<TimeSpan, bool>? measured = null)
{
    private static readonly TimeSpan WarnEvery = TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private long _total;
    private long _sinceWarning;
    private long _abandonedSinceWarning;
    private TimeSpan _longestSinceWarning;
    private DateTimeOffset? _lastWarning;

    /// <summary>Appends that waited for room since the start.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <param name="abandoned">The caller was cancelled while it waited (before its call ran, so it never did).</param>
    public void Waited(TimeSpan waited, bool abandoned)
    {
        Interlocked.Increment(ref _total);
        measured?.Invoke(waited, abandoned);
        long count, gaveUp;
        TimeSpan longest;
        lock (_gate)
        {
            _sinceWarning++;
            if (abandoned) _abandonedSinceWarning++;
            if (waited > _longestSinceWarning) _longestSinceWarning = waited;
            var now = time.GetUtcNow();
            if (_lastWarning is { } last && now - last < WarnEvery) return;
            (count, gaveUp, longest) = (_sinceWarning, _abandonedSinceWarning, _longestSinceWarning);
            (_sinceWarning, _abandonedSinceWarning, _longestSinceWarning, _lastWarning) = (0, 0, TimeSpan.Zero, now);
        }
        QueueFull(logger, count, gaveUp, longest.TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit queue full: {Calls} call(s) waited for room in the audit " +
        "queue ({Cancelled} cancelled while waiting; longest wait {LongestMs:F0} ms). The audit store commits slower " +
        "than calls arrive; calls are slowed to its pace (portal.audit.queueLimit)")]
    private static partial void QueueFull(ILogger logger, long calls, long cancelled, double longestMs);
}
