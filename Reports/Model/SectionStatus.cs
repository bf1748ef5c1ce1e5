namespace ShadowMcp.Reports.Model;

/// <summary>Whether an optional section had a data source, and a sentence saying what it showed or why not.</summary>
public sealed record SectionStatus(bool Configured, string Note);
