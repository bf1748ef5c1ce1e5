namespace ShadowMcp.Portal.Config;

/// <summary>
/// Requests refused for want of credentials are counted, not journaled one by one: each source address gets one
/// audit row per interval with its count and reasons, and a token bucket beyond which it gets 429.
/// </summary>
public sealed class UnauthenticatedSettings
{
    /// <summary>Length of one summary interval: at most one audit row per source in it.</summary>
    public int SummarySeconds { get; set; } = 60;

    /// <summary>Sources tracked per interval; the rest share one "other sources" row, so rows stay bounded.</summary>
    public int MaxSources { get; set; } = 1024;

    /// <summary>Refused requests a source may make per second before it gets 429 with Retry-After.</summary>
    public int PerSourcePerSecond { get; set; } = 10;

    /// <summary>How many refused requests a source may make at once before the per-second rate applies.</summary>
    public int Burst { get; set; } = 50;
}
