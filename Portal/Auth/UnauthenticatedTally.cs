using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Auth;

/// <summary>
/// Counts requests refused for want of credentials instead of writing a row for each: a flood must not fill the
/// disk. Per interval each source address (IPv6 by /64) gets one audit row with its count and reasons; sources
/// beyond the cap share one row. A token bucket per source decides when a source gets 429 instead of 401.
/// </summary>
internal sealed class UnauthenticatedTally : IAsyncDisposable
{
    private const string OtherSources = "other sources";
    private readonly UnauthenticatedSettings _settings;
    private readonly AuditLog _audit;
    private readonly TimeProvider _time;
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly ITimer _timer;
    private readonly object _swap = new();
    private ConcurrentDictionary<string, SourceCount> _counts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _noted = new(StringComparer.Ordinal);
    private DateTimeOffset _since;

    public UnauthenticatedTally(PortalConfig config, AuditLog audit, TimeProvider time)
    {
        _settings = config.Portal.Unauthenticated;
        _audit = audit;
        _time = time;
        _since = time.GetUtcNow();
        _limiter = PartitionedRateLimiter.Create<string, string>(source => RateLimitPartition.GetTokenBucketLimiter(source, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = _settings.Burst,
                TokensPerPeriod = _settings.PerSourcePerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        var interval = TimeSpan.FromSeconds(_settings.SummarySeconds);
        _timer = time.CreateTimer(_ => Flush(), null, interval, interval);
        audit.AddFlushSource(Flush);
    }

    /// <summary>Counts one refused request. Returns how long the source should wait when it is over its rate.</summary>
    public TimeSpan? Count(IPAddress? remote, string reason)
    {
        var source = SourceOf(remote);
        using var lease = _limiter.AttemptAcquire(source);
        TimeSpan? wait = null;
        if (!lease.IsAcquired) wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        Add(source, wait is null ? reason : "rate-limited (429)");
        return wait;
    }

    /// <summary>
    /// For anonymous requests worth a row of their own (a client arriving under a shadow host name): true for the
    /// first from this source about <paramref name="subject"/> in this interval, for at most the sources cap.
    /// Every later one is only counted under <paramref name="reason"/> in the source's summary row.
    /// </summary>
    public bool FirstInInterval(IPAddress? remote, string subject, string reason)
    {
        var source = SourceOf(remote);
        lock (_swap)
        {
            if (_noted.Count < _settings.MaxSources && _noted.Add(source + " " + subject)) return true;
        }
        Add(source, reason);
        return false;
    }

    /// <summary>Counts a request under <paramref name="reason"/> in its source's summary row, without a rate check.</summary>
    public void CountOnly(IPAddress? remote, string reason) => Add(SourceOf(remote), reason);

    private void Add(string source, string reason)
    {
        lock (_swap)
        {
            var counts = _counts;
            var key = counts.Count < _settings.MaxSources || counts.ContainsKey(source) ? source : OtherSources;
            counts.GetOrAdd(key, _ => new SourceCount()).Add(reason);
        }
    }

    /// <summary>Writes one row per source counted since the last flush.</summary>
    public void Flush()
    {
        ConcurrentDictionary<string, SourceCount> counts;
        DateTimeOffset since, now = _time.GetUtcNow();
        lock (_swap)
        {
            _noted.Clear();
            if (_counts.IsEmpty) { _since = now; return; }
            (counts, _counts, since) = (_counts, new ConcurrentDictionary<string, SourceCount>(StringComparer.Ordinal), _since);
            _since = now;
        }
        var seconds = Math.Max(1, (int)Math.Round((now - since).TotalSeconds));
        var full = false;
        foreach (var (source, count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var decision = string.Create(CultureInfo.InvariantCulture,
                $"{count.Total} unauthenticated request(s) from {source} in {seconds}s: {count.Reasons()}");
            full = full || !_audit.TryEnqueue(new AuditRecord("anonymous", "", null, null, null, "HTTP unauthenticated", null, 0,
                null, null, 0, "unauthenticated", decision, null));
            if (full) Restore(source, count, since);
        }
    }

    // The audit log was full: the source's counts go back into the tally, for the next flush's row.
    private void Restore(string source, SourceCount count, DateTimeOffset since)
    {
        lock (_swap)
        {
            _counts.GetOrAdd(source, _ => new SourceCount()).Merge(count);
            if (since < _since) _since = since;
        }
    }

    /// <summary>The address a source is counted under: IPv4 as is, IPv6 by its /64 (one host holds a whole /64).</summary>
    internal static string SourceOf(IPAddress? remote)
    {
        if (remote is null) return "unknown";
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        if (remote.AddressFamily != AddressFamily.InterNetworkV6) return remote.ToString();
        var bytes = remote.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        Flush();
        await _limiter.DisposeAsync();
    }

    private sealed class SourceCount
    {
        private readonly ConcurrentDictionary<string, long> _reasons = new(StringComparer.Ordinal);
        private long _total;

        public long Total => Interlocked.Read(ref _total);

        public void Add(string reason)
        {
            Interlocked.Increment(ref _total);
            // Reasons come from a fixed set of messages plus token ids; cap them like sources.
            _reasons.AddOrUpdate(_reasons.Count < 16 || _reasons.ContainsKey(reason) ? reason : "other", 1, (_, n) => n + 1);
        }

        public void Merge(SourceCount other)
        {
            foreach (var (reason, n) in other._reasons)
            {
                Interlocked.Add(ref _total, n);
                _reasons.AddOrUpdate(reason, n, (_, m) => m + n);
            }
        }

        public string Reasons() => string.Join("; ", _reasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} x{r.Value}")));
    }
}
