namespace ShadowMcp.Admin.Findings;

/// <summary>One line of the findings list.</summary>
internal sealed record FindingSummary(
    long Id, string EndpointKey, string? Host, string Verdict, string Transport, string? ServerName, string? ServerVersion,
    double Confidence, int Flows, DateTime FirstSeen, DateTime LastSeen, int EvidenceCount);
