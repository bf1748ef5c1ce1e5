namespace ShadowMcp.Portal.Store;

/// <summary>Runtime state of an upstream: last contact, health and tool count.</summary>
internal sealed class UpstreamStateRow
{
    public string ServerId { get; set; } = "";
    public bool Healthy { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
    public int ToolCount { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
}
