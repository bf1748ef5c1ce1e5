using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Core.Store;

/// <summary>
/// How a triage decision changes what the scans concluded: an approved finding is sanctioned, with a reason that
/// names who approved it and what the scans said before. Every other status leaves the verdict alone (a false
/// positive stays what the rules found, and the enforcer and reports treat it as an exception instead).
/// </summary>
internal static class TriageVerdict
{
    public static void Apply(Finding merged, FindingTriageRow? triage)
    {
        if (triage is null || TriageStatusNames.Parse(triage.Status) != TriageStatus.Approved) return;
        if (merged.Verdict == Verdict.Sanctioned) return; // already on an allow list: its reason says which
        var was = merged.Verdict.ToWire();
        merged.Verdict = Verdict.Sanctioned;
        merged.VerdictReason = $"approved in triage by {triage.StatusBy} (the rules said {was}: {merged.VerdictReason})";
    }
}
