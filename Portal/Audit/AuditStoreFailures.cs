using Microsoft.Extensions.Logging;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// What the audit writer says about its store: the first failed batch and then at most one line a minute while it
/// keeps failing (rows are kept and retried meanwhile, and calls are refused), the recovery, and rows set down in
/// the fallback file when the portal stops with the store still failing.
/// </summary>
internal sealed partial class AuditStoreFailures(ILogger logger, TimeProvider time)
{
    private static readonly TimeSpan WarnEvery = TimeSpan.FromMinutes(1);
    private DateTimeOffset? _lastWarning;
    private DateTimeOffset _since;
    private int _attempts;

    /// <summary>Failed attempts at the batch now being written (0 when the store is healthy).</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public void Failed(Exception error, int rows, int queued)
    {
        var now = time.GetUtcNow();
        if (Interlocked.Increment(ref _attempts) == 1) _since = now;
        if (_lastWarning is { } last && now - last < WarnEvery) return;
        _lastWarning = now;
        StoreFailing(logger, error.GetType().Name, error.Message, rows, queued, _attempts);
    }

    public void Recovered()
    {
        var attempts = Interlocked.Exchange(ref _attempts, 0);
        if (attempts == 0) return;
        _lastWarning = null;
        StoreRecovered(logger, attempts, (time.GetUtcNow() - _since).TotalSeconds);
    }

    /// <param name="unconfirmed">How many of the rows are from a batch committed without an answer (maybe in the store).</param>
    public void Spilled(int rows, string path, int unconfirmed)
    {
        RowsSpilled(logger, rows, path);
        if (unconfirmed > 0) UnconfirmedSpilled(logger, unconfirmed);
    }

    /// <summary>Rows neither the store nor the fallback file took: they are lost, and this is the only trace of them.</summary>
    public void SpillFailed(Exception error, int rows, string path) => RowsLost(logger, rows, path, error.GetType().Name, error.Message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit store write failed ({Kind}: {Reason}); {Rows} row(s) kept and retried " +
        "in order, {Queued} more queued; calls are refused until it is writable (attempt {Attempt})")]
    private static partial void StoreFailing(ILogger logger, string kind, string reason, int rows, int queued, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit store writable again after {Attempts} failed attempt(s) over {Seconds:F0} s; " +
        "the kept rows are written and calls are served again")]
    private static partial void StoreRecovered(ILogger logger, int attempts, double seconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Audit store still failing at shutdown: {Rows} audit row(s) not in the store " +
        "were written to {Path} (JSON lines, in order) so that none is lost")]
    private static partial void RowsSpilled(ILogger logger, int rows, string path);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Audit store still failing at shutdown and the fallback file {Path} " +
        "could not be written ({Kind}: {Reason}): {Rows} audit row(s) are lost, but for any it holds whole")]
    private static partial void RowsLost(ILogger logger, int rows, string path, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Rows} of the audit rows written to the fallback file are from a batch " +
        "whose commit got no answer: it may be in the store already; audit import adds them only if it is not")]
    private static partial void UnconfirmedSpilled(ILogger logger, int rows);
}
