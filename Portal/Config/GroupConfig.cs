namespace ShadowMcp.Portal.Config;

/// <summary>A group's grants: server id to tool-name globs. Anything not granted is denied.</summary>
public sealed class GroupConfig
{
    public bool ReadOnly { get; set; }
    public Dictionary<string, List<string>> Servers { get; set; } = new(StringComparer.Ordinal);
}
