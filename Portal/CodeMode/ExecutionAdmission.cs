using System.Threading.RateLimiting;
using ShadowMcp.Portal.Policy;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>
/// Who may start an execution now: a slot per user, per group and portal-wide, each a concurrency limiter with a
/// first-come queue. A caller holding all its own slots waits behind its own runs, not in front of other users.
/// </summary>
internal sealed class ExecutionAdmission : IDisposable
{
    private readonly PartitionedRateLimiter<PortalCaller> _limiter;
    private readonly CodeModeSettings _settings;
    private readonly TimeProvider _time;

    public ExecutionAdmission(CodeModeSettings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        var queue = Math.Max(1, settings.MaxConcurrentExecutions * 4);
        _limiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<PortalCaller, string>(c => RateLimitPartition.GetConcurrencyLimiter("u:" + c.User,
                _ => Options(settings.MaxExecutionsPerUser, settings.MaxExecutionsPerUser))),
            PartitionedRateLimiter.Create<PortalCaller, string>(c => RateLimitPartition.GetConcurrencyLimiter("g:" + c.GroupLabel,
                _ => Options(settings.MaxExecutionsPerGroup, queue))),
            PartitionedRateLimiter.Create<PortalCaller, string>(_ => RateLimitPartition.GetConcurrencyLimiter("all",
                _ => Options(settings.MaxConcurrentExecutions, queue))));
    }

    /// <returns>A lease to dispose when the execution ends, or null when the caller must be told "busy".</returns>
    public async Task<RateLimitLease?> AcquireAsync(PortalCaller caller, CancellationToken ct)
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(_settings.QueueSeconds), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(wait.Token, ct);
        try
        {
            var lease = await _limiter.AcquireAsync(caller, 1, linked.Token);
            if (lease.IsAcquired) return lease;
            lease.Dispose();
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return null; }
    }

    private static ConcurrencyLimiterOptions Options(int permits, int queue) => new()
    {
        PermitLimit = Math.Max(1, permits),
        QueueLimit = Math.Max(0, queue),
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    };

    public void Dispose() => _limiter.Dispose();
}
