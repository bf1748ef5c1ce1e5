namespace ShadowMcp.Reports.Scheduling;

/// <summary>Where to POST the JSON report, and the shared secret it is HMAC-SHA256 signed with.</summary>
public sealed class WebhookOptions
{
    public string? Url { get; set; }
    public string? Secret { get; set; }
    public int MaxAttempts { get; set; } = 5;
    /// <summary>Doubles after each failed attempt.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
