namespace ShadowMcp.Core.Reading;

/// <summary>
/// The orders a finding list can be read in. Ties always fall back to the newest activity first, then the endpoint
/// key, then the row id, so paging never shows a row twice or skips one.
/// </summary>
public enum FindingSort
{
    LastSeen,
    FirstSeen,
    Endpoint,
    /// <summary>By the verdict's name (sanctioned, shadow, suspected), as people read it in the list.</summary>
    Verdict,
    Server,
    Confidence,
    Flows,
}
