namespace ShadowMcp.Reports.Sources;

/// <summary>What the governed portal did in a period.</summary>
public sealed record PortalActivity
{
    public long Calls { get; init; }
    public IReadOnlyList<PortalCallCount> ByServerAndGroup { get; init; } = [];
    public long PolicyDenials { get; init; }
    public long DlpHits { get; init; }
    /// <summary>Client addresses that called the portal; used to count shadow-to-sanctioned conversions.</summary>
    public IReadOnlyList<string> CallerAddresses { get; init; } = [];
    /// <summary>
    /// Requests that still named a shadow server and reached the portal through the enforcer's redirect, and were
    /// told where the sanctioned portal is (audited as conversions).
    /// </summary>
    public long RedirectedToPortal { get; init; }
}
