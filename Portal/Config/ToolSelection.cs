namespace ShadowMcp.Portal.Config;

/// <summary>Per-server tool switches. Mode "allowlist" turns every tool off unless it is listed in Enabled.</summary>
public sealed class ToolSelection
{
    public string Mode { get; set; } = "all";
    public List<string> Enabled { get; set; } = [];
    public List<string> Disabled { get; set; } = [];

    /// <summary>Tools treated as read-only even without a readOnlyHint annotation.</summary>
    public List<string> Read { get; set; } = [];

    /// <summary>Whether the portal offers <paramref name="tool"/> (upstream name) to callers: not disabled, and listed in allowlist mode.</summary>
    public bool Exposes(string tool) =>
        !Glob.Any(Disabled, tool) && (Mode != "allowlist" || Glob.Any(Enabled, tool));
}
