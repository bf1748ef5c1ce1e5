namespace ShadowMcp.Portal.Store;

/// <summary>The fingerprint of an upstream tool as last seen by the portal; `portal approve` pins these.</summary>
internal sealed class ToolObservationRow
{
    public string ServerId { get; set; } = "";
    public string ToolName { get; set; } = "";
    public string Fingerprint { get; set; } = "";

    /// <summary>The tool's annotations as JSON ("{}" for none); null in pins made before annotations were pinned.</summary>
    public string? Annotations { get; set; }
    public DateTimeOffset SeenAt { get; set; }

    /// <summary>The description the upstream gave, as last seen (the admin UI shows it); null before b18.</summary>
    public string? Description { get; set; }
}
