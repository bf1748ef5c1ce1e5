namespace ShadowMcp.Portal.Store;

/// <summary>The approved fingerprint of one upstream tool (name, description, schemas).</summary>
internal sealed class ToolPinRow
{
    public string ServerId { get; set; } = "";
    public string ToolName { get; set; } = "";
    public string Fingerprint { get; set; } = "";
    public DateTimeOffset PinnedAt { get; set; }
}
