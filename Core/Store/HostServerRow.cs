namespace ShadowMcp.Core.Store;

/// <summary>One MCP server a host declared (or ran) in one scan: which agent, which file, what it runs, the verdict.</summary>
public sealed class HostServerRow
{
    public long Id { get; set; }
    public long HostScanId { get; set; }
    public required string Agent { get; set; }
    public required string Scope { get; set; }
    public required string ConfigPath { get; set; }
    public required string Name { get; set; }
    public required string Transport { get; set; }
    public string? Launcher { get; set; }
    public string? Ecosystem { get; set; }
    public string? Package { get; set; }
    public string? Version { get; set; }
    public string? Url { get; set; }
    public bool Enabled { get; set; }
    public required string Verdict { get; set; }
    public string? VerdictReason { get; set; }
    /// <summary>The finding key: host + package for local servers, the URL's endpoint for remote ones.</summary>
    public required string Endpoint { get; set; }
    public required string Origin { get; set; }
}
