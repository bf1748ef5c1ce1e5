namespace ShadowMcp.Core.Store;

/// <summary>
/// How many flows one capture file contributed to one finding in one UTC hour. Filled by
/// <see cref="FindingStore.SaveFileResult"/> by spreading the file's flows evenly over the hours between the
/// finding's first and last sighting in that file; the weekly report reads trends from it without parsing JSON.
/// </summary>
public sealed class FindingActivityRow
{
    public long Id { get; set; }
    public long FindingId { get; set; }
    public long ScannedFileId { get; set; }
    /// <summary>Start of the UTC hour.</summary>
    public DateTime Hour { get; set; }
    public int Flows { get; set; }
}
