using ShadowMcp.Core.Triage;
using ShadowMcp.Reports.Model;

namespace ShadowMcp.Reports.Writers;

/// <summary>The words the HTML and Markdown summaries share for the triage backlog, so both say the same.</summary>
internal static class TriageSummaryText
{
    public static string Heading(TriageSection t) =>
        $"Triage: {Text.Count(t.Overdue)} overdue (new or under review more than {Text.Count(t.OverdueDays)} day{(t.OverdueDays == 1 ? "" : "s")} after first seen)";

    /// <summary>"new 12 · under review 3 · approved 2 · blocked 1 · false positive 0".</summary>
    public static string Counts(TriageSection t) =>
        string.Join(" · ", t.ByStatus.Select(c => $"{TriageStatusNames.Parse(c.Status).ToLabel()} {Text.Count(c.Findings)}"));

    public static string Status(string wire) => TriageStatusNames.Parse(wire).ToLabel();
}
