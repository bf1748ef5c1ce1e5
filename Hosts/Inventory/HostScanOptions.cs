using ShadowMcp.Hosts.Agents;
using ShadowMcp.Hosts.Reading;

namespace ShadowMcp.Hosts.Inventory;

/// <summary>What to read: whose homes, with which platform's layout, and which project directories.</summary>
public sealed record HostScanOptions
{
    /// <summary>Home directories to read; empty means the current user's (or, as root, every user's).</summary>
    public IReadOnlyList<string> Homes { get; init; } = [];
    public HostOs Os { get; init; } = HostOsNames.Current;
    /// <summary>Where machine-wide files (managed-mcp.json) are: "/" on a live machine; null skips them.</summary>
    public string? SystemRoot { get; init; }
    /// <summary>Project directories whose .mcp.json, .vscode/mcp.json... to read.</summary>
    public IReadOnlyList<string> Projects { get; init; } = [];
    /// <summary>Also read the projects ~/.claude.json lists, when they exist on this machine.</summary>
    public bool FollowClaudeProjects { get; init; } = true;
    /// <summary>
    /// Folders that environment variables move agents to (CODEX_HOME, COPILOT_HOME → folder), read besides the
    /// documented defaults. A live scan takes them from the scanning user's environment; they say nothing of
    /// other users' homes.
    /// </summary>
    public IReadOnlyDictionary<string, string> MovedFolders { get; init; } = new Dictionary<string, string>();
    public ReadLimits Limits { get; init; } = new();
    public string? HostName { get; init; }
}
