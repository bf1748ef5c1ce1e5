using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Policy;

namespace ShadowMcp.Portal.Hosting;

/// <summary>
/// <c>limits.requestsPerMinute</c>: a token bucket per authenticated user over every HTTP request to the portal,
/// checked before the MCP layer; over it: 429 with Retry-After and a JSON-RPC error body. Refusals are audited
/// summarised (one row per user per minute with the count), so a flood cannot fill the disk through the audit.
/// </summary>
internal sealed class CallerRequestLimitMiddleware(RequestDelegate next, PortalConfig config, AuditLog audit, TimeProvider time)
    : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter = config.Portal.Limits.RequestsPerMinute is { } perMinute
        ? PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.GetTokenBucketLimiter(user, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, perMinute / 6),
            TokensPerPeriod = perMinute <= 600 ? 1 : (perMinute + 599) / 600,
            ReplenishmentPeriod = perMinute <= 600 ? TimeSpan.FromMinutes(1) / Math.Max(1, perMinute) : TimeSpan.FromMilliseconds(100),
            QueueLimit = 0,
            AutoReplenishment = true,
        }))
        : null;

    private readonly ConcurrentDictionary<string, Refusals> _refused = new(StringComparer.Ordinal);

    private sealed class Refusals(DateTimeOffset since)
    {
        public DateTimeOffset Since = since;
        public int Count;
        public bool Written;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (_limiter is null || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }
        var caller = PortalCaller.From(context.User, null, null);
        using var lease = _limiter.AttemptAcquire(caller.User);
        if (lease.IsAcquired)
        {
            await next(context);
            return;
        }
        var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
        Count(caller);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(new
        {
            jsonrpc = "2.0",
            id = (object?)null,
            error = new { code = Pipeline.PortalRefusal.RateLimitedCode, message = $"Rate limited by the portal: retry after {seconds}s" },
        });
    }

    private void Count(PortalCaller caller)
    {
        var now = time.GetUtcNow();
        var refusals = _refused.GetOrAdd(caller.User, _ => new Refusals(now));
        int count;
        lock (refusals)
        {
            refusals.Count++;
            // The first refusal is written at once; later ones are summed into one row a minute.
            if (refusals.Written && now - refusals.Since < TimeSpan.FromMinutes(1)) return;
            count = refusals.Count;
            refusals.Since = now;
            refusals.Count = 0;
            refusals.Written = true;
        }
        if (audit.TryEnqueue(new AuditRecord(caller.User, caller.GroupLabel, null, null, null, "http", null, 0, null, null, 0,
                Pipeline.CallOutcomes.AuditName(Pipeline.CallOutcome.RateLimited),
                $"{count} request(s) over requestsPerMinute={config.Portal.Limits.RequestsPerMinute}", null)))
            return;
        // The audit log is full: keep the count for the next refusal's row rather than hold a row beyond its bound.
        lock (refusals)
        {
            refusals.Count += count;
            refusals.Written = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_limiter is not null) await _limiter.DisposeAsync();
    }
}
