using ShadowMcp.Core.Findings;

namespace ShadowMcp.Core.Inventory;

/// <summary>
/// One MCP server a host's agent declares (or runs): which agent and config file, what it runs or where it points, and
/// the verdict `serve` gave it. <see cref="Endpoint"/> is its finding key.
/// </summary>
public sealed record HostScanServer(
    string Agent, string Scope, string ConfigPath, string Name, string Transport, Verdict Verdict, string Endpoint, string Origin)
{
    public string? Launcher { get; init; }
    public string? Ecosystem { get; init; }
    public string? Package { get; init; }
    public string? Version { get; init; }
    public string? Url { get; init; }
    public bool Enabled { get; init; }
    public string? VerdictReason { get; init; }

    /// <summary>What it is for people: the URL, or ecosystem:package@version, or the endpoint key.</summary>
    public string What => Url ?? (Package is null ? Endpoint : $"{Ecosystem}:{Package}{(Version is null ? "" : "@" + Version)}");
}
