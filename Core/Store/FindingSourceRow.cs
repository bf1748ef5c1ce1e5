namespace ShadowMcp.Core.Store;

/// <summary>
/// What one capture file contributed to one finding, kept whole (as JSON) so that scanning the same file
/// again replaces its contribution instead of adding to it.
/// </summary>
public sealed class FindingSourceRow
{
    public long Id { get; set; }
    public long FindingId { get; set; }
    public long ScannedFileId { get; set; }
    public DateTime FirstSeen { get; set; }
    public DateTime LastSeen { get; set; }
    public required string FindingJson { get; set; }
}
