namespace ShadowMcp.Portal.Config;

/// <summary>Per-server tool switches. Mode "allowlist" turns every tool off unless it is listed in Enabled.</summary>
public sealed class ToolSelection
{
    public string Mode { get; set; } = "all";
    public List<string> Enabled { get; set; } = [];
    public List<string> Disabled { get; set; } = [];

    /// <summary>Tools treated as read-only even without a readOnlyHint annotation.</summary>
    public List<string> Read { get; set; } = [];
}
