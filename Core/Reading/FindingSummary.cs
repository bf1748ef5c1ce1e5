using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Core.Reading;

/// <summary>
/// One finding as a list shows it: what it is, its verdict and triage, counts and times (UTC), without evidence.
/// <see cref="Id"/> is the store's row id (what a link to the finding names). <see cref="Hosts"/> are the names its
/// flows used and <see cref="Clients"/> the addresses that talked to it.
/// </summary>
public sealed record FindingSummary(
    long Id, string EndpointKey, string? Host, Verdict Verdict, string Transport, string? ServerName, string? ServerVersion,
    double Confidence, int Flows, DateTime FirstSeen, DateTime LastSeen, int EvidenceCount)
{
    /// <summary>Where the security team stands; <see cref="TriageStatus.New"/> when nobody triaged it.</summary>
    public TriageStatus Status { get; init; }
    public string? Owner { get; init; }
    public IReadOnlyList<string> Hosts { get; init; } = [];
    public IReadOnlyList<string> Clients { get; init; } = [];
    /// <summary>On what the finding was made, strongest first (<see cref="BasisRules"/>).</summary>
    public FindingBases Bases { get; init; } = FindingBases.None;
}
