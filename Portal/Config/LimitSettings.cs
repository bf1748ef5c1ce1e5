namespace ShadowMcp.Portal.Config;

/// <summary>
/// Bulkheads: how much of the portal one upstream or one caller may hold, so a hung upstream or a heavy user
/// cannot take the others' capacity, and optional rate limits per token, group or tool.
/// </summary>
public sealed class LimitSettings
{
    /// <summary>Calls in flight to one upstream at once; null: <see cref="PortalSettings.MaxConcurrentCalls"/>.</summary>
    public int? PerUpstream { get; set; }

    /// <summary>Calls one caller (token or JWT subject) may have in flight to one upstream at once.</summary>
    public int PerCaller { get; set; } = 16;

    /// <summary>Calls that may wait for a slot per upstream and per caller; beyond it they are refused as busy.</summary>
    public int QueueLimit { get; set; } = 64;

    /// <summary>How long a call may wait for a slot before it is refused as busy.</summary>
    public double QueueSeconds { get; set; } = 5;

    /// <summary>
    /// HTTP requests to /mcp one authenticated user may make per minute, checked before the MCP layer: over it
    /// the request gets 429 with Retry-After. Null: no such limit (the per-call <see cref="Rates"/> still apply).
    /// </summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Token buckets; a call must pass every rule that applies to it.</summary>
    public List<RateLimitRule> Rates { get; set; } = [];
}

/// <summary>
/// A token bucket per token (user), per group, or per tool (glob on the exposed name); the fields set say
/// which calls a rule counts and how it partitions them: by = "user" (default), "group" or "tool".
/// </summary>
public sealed class RateLimitRule
{
    /// <summary>Only calls by members of this group; null: everyone.</summary>
    public string? Group { get; set; }

    /// <summary>Only calls to tools matching this glob (e.g. "github_*"); null: every call.</summary>
    public string? Tool { get; set; }

    /// <summary>What one bucket is shared by: "user" (each token or subject), "group" or "tool".</summary>
    public string By { get; set; } = "user";

    public int PerMinute { get; set; } = 600;

    /// <summary>Calls allowed at once above the steady rate; default: <see cref="PerMinute"/> / 6.</summary>
    public int? Burst { get; set; }
}
