using System.Threading.RateLimiting;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Policy;

namespace ShadowMcp.Portal.Pipeline;

/// <summary>
/// Bulkheads on System.Threading.RateLimiting: a call passes the rate limits that apply to it (token buckets
/// per user, group or tool), then takes a slot of its caller on that upstream and a slot of the upstream, each
/// a partitioned concurrency limiter with its own bounded queue. A hung upstream fills only its own slots; a
/// heavy caller holds at most <see cref="LimitSettings.PerCaller"/> of an upstream's, so others still get in.
/// </summary>
internal sealed class CallAdmission : IAsyncDisposable
{
    private readonly LimitSettings _limits;
    private readonly TimeProvider _time;
    private readonly PartitionedRateLimiter<string> _upstreams;
    private readonly PartitionedRateLimiter<(string Server, string User)> _callers;
    private readonly List<(RateLimitRule Rule, PartitionedRateLimiter<AdmissionRequest> Limiter)> _rates;

    public CallAdmission(PortalConfig config, TimeProvider time)
    {
        _limits = config.Portal.Limits;
        _time = time;
        var perUpstream = Math.Max(1, _limits.PerUpstream ?? config.Portal.MaxConcurrentCalls);
        var queue = Math.Max(0, _limits.QueueLimit);
        _upstreams = PartitionedRateLimiter.Create<string, string>(server => RateLimitPartition.GetConcurrencyLimiter(server,
            _ => new ConcurrencyLimiterOptions { PermitLimit = perUpstream, QueueLimit = queue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst }));
        var perCaller = Math.Max(1, Math.Min(_limits.PerCaller, perUpstream));
        _callers = PartitionedRateLimiter.Create<(string Server, string User), (string, string)>(key => RateLimitPartition.GetConcurrencyLimiter(key,
            _ => new ConcurrencyLimiterOptions { PermitLimit = perCaller, QueueLimit = queue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst }));
        _rates = [.. _limits.Rates.Select(rule => (rule, RateLimiterFor(rule)))];
    }

    /// <summary>Slots left for new calls to <paramref name="server"/> (for tests and status).</summary>
    public long AvailableSlots(string server) => _upstreams.GetStatistics(server)?.CurrentAvailablePermits ?? 0;

    /// <summary>Calls waiting for a slot of <paramref name="server"/>.</summary>
    public long Queued(string server) => _upstreams.GetStatistics(server)?.CurrentQueuedCount ?? 0;

    /// <summary>Waits for both slots (or refuses); dispose the lease when the upstream call is over.</summary>
    /// <exception cref="PortalRefusal">Rate limited, or no slot within the queue time.</exception>
    public async Task<IDisposable> AdmitAsync(PortalCaller caller, string server, string tool, CancellationToken ct)
    {
        var request = new AdmissionRequest(caller, server, tool);
        foreach (var (rule, limiter) in _rates)
        {
            using var lease = limiter.AttemptAcquire(request);
            if (lease.IsAcquired) continue;
            var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(60.0 / rule.PerMinute);
            var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
            throw new PortalRefusal($"Rate limited by the portal: {Describe(rule)}; retry after {seconds}s",
                PortalRefusal.RateLimitedCode, CallOutcome.RateLimited, $"rate limit {Describe(rule)}");
        }
        var mine = await AcquireAsync(_callers, (server, caller.User), $"caller {caller.User} has {_limits.PerCaller} calls to {server} in flight", ct);
        try
        {
            var theirs = await AcquireAsync(_upstreams, server, $"upstream {server} is at its limit of calls in flight", ct);
            return new Lease(mine, theirs);
        }
        catch
        {
            mine.Dispose();
            throw;
        }
    }

    private async Task<RateLimitLease> AcquireAsync<TKey>(PartitionedRateLimiter<TKey> limiter, TKey key, string reason, CancellationToken ct)
    {
        var immediate = limiter.AttemptAcquire(key);
        if (immediate.IsAcquired) return immediate;
        immediate.Dispose();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(_limits.QueueSeconds), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, wait.Token);
        try
        {
            var lease = await limiter.AcquireAsync(key, 1, linked.Token);
            if (lease.IsAcquired) return lease;
            lease.Dispose(); // the queue is full
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // waited the whole queue time
        }
        throw new PortalRefusal($"Portal busy: {reason}", PortalRefusal.BusyCode, CallOutcome.Busy, reason);
    }

    private static PartitionedRateLimiter<AdmissionRequest> RateLimiterFor(RateLimitRule rule)
    {
        var perMinute = Math.Max(1, rule.PerMinute);
        var burst = Math.Max(1, rule.Burst ?? Math.Max(1, perMinute / 6));
        return PartitionedRateLimiter.Create<AdmissionRequest, string>(request =>
        {
            if (!Applies(rule, request)) return RateLimitPartition.GetNoLimiter("");
            var key = rule.By switch
            {
                "group" => request.Caller.GroupLabel,
                "tool" => request.Tool,
                _ => request.Caller.User,
            };
            return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                // One token every 60/perMinute s, or several every 100 ms for fast rates (timers are coarse).
                TokensPerPeriod = perMinute <= 600 ? 1 : (perMinute + 599) / 600,
                ReplenishmentPeriod = perMinute <= 600 ? TimeSpan.FromMinutes(1) / perMinute : TimeSpan.FromMilliseconds(100),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
    }

    private static bool Applies(RateLimitRule rule, AdmissionRequest request) =>
        (rule.Group is null || request.Caller.Groups.Contains(rule.Group, StringComparer.Ordinal))
        && (rule.Tool is null || Glob.IsMatch(rule.Tool, request.Tool));

    private static string Describe(RateLimitRule rule) =>
        $"{rule.PerMinute}/min per {rule.By}" + (rule.Group is null ? "" : $" in group {rule.Group}") + (rule.Tool is null ? "" : $" for {rule.Tool}");

    private readonly record struct AdmissionRequest(PortalCaller Caller, string Server, string Tool);

    private sealed class Lease(RateLimitLease caller, RateLimitLease upstream) : IDisposable
    {
        public void Dispose()
        {
            upstream.Dispose();
            caller.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _upstreams.DisposeAsync();
        await _callers.DisposeAsync();
        foreach (var (_, limiter) in _rates) await limiter.DisposeAsync();
    }
}
