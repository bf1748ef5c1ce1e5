namespace ShadowMcp.Admin.Findings;

/// <summary>
/// One line of the findings list; <see cref="IsNew"/> when first seen in the current ISO week (UTC); <see cref="Status"/>
/// is the triage status in its wire form ("new" when nobody triaged it) and <see cref="Owner"/> its owner.
/// </summary>
internal sealed record FindingSummary(
    long Id, string EndpointKey, string? Host, string Verdict, string Transport, string? ServerName, string? ServerVersion,
    double Confidence, int Flows, DateTime FirstSeen, DateTime LastSeen, int EvidenceCount, bool IsNew)
{
    public string Status { get; init; } = "new";
    public string? Owner { get; init; }
}
