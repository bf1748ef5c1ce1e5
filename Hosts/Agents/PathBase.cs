namespace ShadowMcp.Hosts.Agents;

/// <summary>What a catalogued path is relative to.</summary>
public enum PathBase
{
    /// <summary>The user's home directory (%USERPROFILE% on Windows).</summary>
    Home,
    /// <summary>The machine's root: /, or C:\ on Windows (managed, all-user files).</summary>
    System,
    /// <summary>A project or workspace directory.</summary>
    Project,
}
