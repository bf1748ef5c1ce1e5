using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Reading;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Admin.Findings;

/// <summary>
/// One finding in the JSON list, with the field names and wire forms scripts read ("shadow", "under_review");
/// <see cref="IsNew"/> when first seen in the current ISO week (UTC); <see cref="Basis"/> is the primary basis and
/// <see cref="Bases"/> all of them, strongest first ("content", "shape").
/// </summary>
internal sealed record FindingApiRow(
    long Id, string EndpointKey, string? Host, string Verdict, string Transport, string? ServerName, string? ServerVersion,
    double Confidence, int Flows, DateTime FirstSeen, DateTime LastSeen, int EvidenceCount, bool IsNew, string Status, string? Owner,
    string Basis, IReadOnlyList<string> Bases)
{
    public static FindingApiRow From(FindingSummary f, DateTime weekStart) =>
        new(f.Id, f.EndpointKey, f.Host, f.Verdict.ToWire(), f.Transport, f.ServerName, f.ServerVersion, f.Confidence, f.Flows,
            f.FirstSeen, f.LastSeen, f.EvidenceCount, f.FirstSeen >= weekStart, f.Status.ToWire(), f.Owner,
            f.Bases.Primary.ToWire(), f.Bases.Wire);
}
