namespace ShadowMcp.Core.Store;

/// <summary>Every call to the host ingest endpoint, accepted or refused, and by whom.</summary>
public sealed class HostIngestAuditRow
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string Remote { get; set; }
    /// <summary>stored, duplicate, unauthorized, too-large, invalid.</summary>
    public required string Outcome { get; set; }
    public string? HostName { get; set; }
    public string? ScanId { get; set; }
    public string? Detail { get; set; }
}
