namespace ShadowMcp.Core.Triage;

/// <summary>The stored and URL form of a <see cref="TriageStatus"/> ("under_review") and its words for people ("under review").</summary>
public static class TriageStatusNames
{
    public static readonly IReadOnlyList<TriageStatus> All =
        [TriageStatus.New, TriageStatus.UnderReview, TriageStatus.Approved, TriageStatus.Blocked, TriageStatus.FalsePositive];

    public static string ToWire(this TriageStatus s) => s switch
    {
        TriageStatus.UnderReview => "under_review",
        TriageStatus.Approved => "approved",
        TriageStatus.Blocked => "blocked",
        TriageStatus.FalsePositive => "false_positive",
        _ => "new",
    };

    public static string ToLabel(this TriageStatus s) => s.ToWire().Replace('_', ' ');

    /// <summary>True when the status still waits for a decision, so it can be overdue.</summary>
    public static bool IsOpen(this TriageStatus s) => s is TriageStatus.New or TriageStatus.UnderReview;

    /// <summary>Accepts the wire form, the words ("under review") and a dash ("false-positive"), in any case.</summary>
    public static bool TryParse(string? text, out TriageStatus status)
    {
        var t = text?.Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_');
        foreach (var s in All)
        {
            if (s.ToWire() != t) continue;
            status = s;
            return true;
        }
        status = TriageStatus.New;
        return false;
    }

    /// <summary>A stored value; an unknown one reads as new rather than failing a page or a report.</summary>
    public static TriageStatus Parse(string? text) => TryParse(text, out var s) ? s : TriageStatus.New;
}
