using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ShadowMcp.Admin.Auth;

/// <summary>
/// Per-client limit on wrong admin tokens: each wrong token takes a permit from the client address's fixed window,
/// and once the window's permits are gone every login from that address (right token or not) is refused until the
/// window ends, so guessing gets no answer. A right token takes nothing.
/// </summary>
internal sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public LoginThrottle(IOptions<AdminOptions> options)
    {
        var o = options.Value;
        Window = o.LoginFailureWindow;
        _failures = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = o.LoginFailuresPerWindow, Window = o.LoginFailureWindow, QueueLimit = 0 }));
    }

    /// <summary>How long a refused client waits at most (the Retry-After answer).</summary>
    public TimeSpan Window { get; }

    /// <summary>False when <paramref name="client"/> has used up its wrong tokens for this window.</summary>
    public bool MayTry(string client)
    {
        // Zero permits asks "any left?" without taking one.
        using var lease = _failures.AttemptAcquire(client, 0);
        return lease.IsAcquired;
    }

    /// <summary>Counts one wrong token against <paramref name="client"/>.</summary>
    public void Failed(string client)
    {
        using var _ = _failures.AttemptAcquire(client, 1);
    }

    public void Dispose() => _failures.Dispose();
}
