namespace ShadowMcp.Core.Store;

/// <summary>One host inventory as a host posted it: unique per (host, scan id), so a retried post is kept once.</summary>
public sealed class HostScanRow
{
    public long Id { get; set; }
    public required string HostName { get; set; }
    public required string ScanId { get; set; }
    public DateTime ScannedAt { get; set; }
    public DateTime ReceivedAt { get; set; }
    public required string Os { get; set; }
    public int FilesRead { get; set; }
    public int Problems { get; set; }
    public List<HostServerRow> Servers { get; set; } = [];
    public List<HostSecretRow> Secrets { get; set; } = [];
}
