namespace ShadowMcp.Portal.Store;

/// <summary>A finding: an upstream tool definition changed after approval (a possible rug pull).</summary>
internal sealed class PinDriftRow
{
    public long Id { get; set; }
    public string ServerId { get; set; } = "";
    public string ToolName { get; set; } = "";
    public string? PinnedFingerprint { get; set; }
    public string ObservedFingerprint { get; set; } = "";
    public DateTimeOffset DetectedAt { get; set; }
    public string Action { get; set; } = "";
}
