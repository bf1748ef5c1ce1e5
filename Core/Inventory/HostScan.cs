namespace ShadowMcp.Core.Inventory;

/// <summary>
/// One host inventory as a host posted it (`shadowmcp host scan --report-to`): when, from which OS, how many files
/// could not be read, and the MCP servers and plaintext credentials it found. <see cref="Id"/> is the stored scan's id.
/// </summary>
public sealed record HostScan(long Id, string HostName, string ScanId, DateTime ScannedAt, string Os, int FilesRead, int Problems)
{
    public IReadOnlyList<HostScanServer> Servers { get; init; } = [];
    public IReadOnlyList<HostScanSecret> Secrets { get; init; } = [];
}
