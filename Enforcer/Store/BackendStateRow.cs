namespace ShadowMcp.Enforcer.Store;

/// <summary>What one backend should hold (desired) and what it was last seen holding (applied).</summary>
public sealed class BackendStateRow
{
    public required string Backend { get; set; }
    public string DesiredJson { get; set; } = "[]";
    public string AppliedJson { get; set; } = "[]";
    public DateTime UpdatedAt { get; set; }
}
