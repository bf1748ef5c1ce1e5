namespace ShadowMcp.Portal.Store;

/// <summary>The approved fingerprint of one upstream tool (name, title, description, schemas, annotations).</summary>
internal sealed class ToolPinRow
{
    public string ServerId { get; set; } = "";
    public string ToolName { get; set; } = "";
    public string Fingerprint { get; set; } = "";

    /// <summary>The tool's annotations as JSON ("{}" for none); null in pins made before annotations were pinned.</summary>
    public string? Annotations { get; set; }
    public DateTimeOffset PinnedAt { get; set; }
}
