namespace ShadowMcp.Core.Store;

/// <summary>
/// A finding's triage state, keyed by its endpoint key rather than the finding's row id: scans update and may even
/// remove and re-add the finding row, and the decision must outlive both. A finding without a row is "new".
/// </summary>
public sealed class FindingTriageRow
{
    public long Id { get; set; }
    public required string EndpointKey { get; set; }
    /// <summary>A <see cref="Triage.TriageStatus"/> in its wire form ("under_review").</summary>
    public string Status { get; set; } = "new";
    public string? Owner { get; set; }
    /// <summary>When the finding entered its current status, and who put it there.</summary>
    public DateTime StatusSince { get; set; }
    public string StatusBy { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}
