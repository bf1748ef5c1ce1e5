namespace ShadowMcp.Core.Store;

/// <summary>One rule's evidence for a finding, merged over all files.</summary>
public sealed class EvidenceRow
{
    public long Id { get; set; }
    public long FindingId { get; set; }
    public required string Rule { get; set; }
    public string Title { get; set; } = "";
    public string Level { get; set; } = "";
    public required string Detail { get; set; }
    public double Weight { get; set; }
    public int Count { get; set; }
    public DateTime FirstSeen { get; set; }
    public DateTime LastSeen { get; set; }
    public string? Example { get; set; }
}
