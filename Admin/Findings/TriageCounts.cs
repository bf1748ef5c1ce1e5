namespace ShadowMcp.Admin.Findings;

/// <summary>How many findings of each triage status (wire form) match the other filters (the status filter left out).</summary>
internal sealed record TriageCounts(IReadOnlyDictionary<string, int> ByStatus);
