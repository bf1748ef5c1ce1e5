namespace ShadowMcp.Portal.Store;

/// <summary>The fingerprint of an upstream tool as last seen by the portal; `portal approve` pins these.</summary>
internal sealed class ToolObservationRow
{
    public string ServerId { get; set; } = "";
    public string ToolName { get; set; } = "";
    public string Fingerprint { get; set; } = "";
    public DateTimeOffset SeenAt { get; set; }
}
