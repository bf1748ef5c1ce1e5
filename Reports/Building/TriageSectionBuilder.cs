using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Reading;
using ShadowMcp.Core.Triage;
using ShadowMcp.Reports.Model;

namespace ShadowMcp.Reports.Building;

/// <summary>
/// Counts the store's findings by triage status and finds the overdue ones (<see cref="TriageSection"/>). Sanctioned
/// findings are counted but never overdue: an allow list already decided them.
/// </summary>
internal static class TriageSectionBuilder
{
    /// <summary>Overdue findings the report names; the count says how many more there are.</summary>
    public const int TopCount = 10;

    private static readonly IReadOnlySet<TriageStatus> Open = TriageStatusNames.All.Where(s => s.IsOpen()).ToHashSet();
    private static readonly IReadOnlySet<Verdict> Undecided = new HashSet<Verdict> { Verdict.Shadow, Verdict.Suspected };

    /// <summary>The backlog as it stood at <paramref name="asOfUtc"/>: findings first seen before it.</summary>
    public static async Task<TriageSection> BuildAsync(FindingReader reader, DateTime asOfUtc, int overdueDays, CancellationToken cancellationToken)
    {
        var existing = new FindingQuery { FirstSeenBeforeUtc = asOfUtc };
        var byStatus = await reader.CountByStatusAsync(existing, cancellationToken).ConfigureAwait(false);
        var cutoff = asOfUtc.AddDays(-overdueDays);
        // Oldest first: the finding that has waited longest heads the list.
        var overdue = await reader.PageAsync(existing with
        {
            FirstSeenBeforeUtc = cutoff < asOfUtc ? cutoff : asOfUtc, Statuses = Open, Verdicts = Undecided,
            Sort = FindingSort.FirstSeen, Descending = false,
        }, 1, TopCount, cancellationToken).ConfigureAwait(false);
        return new TriageSection(overdueDays, asOfUtc,
            [.. TriageStatusNames.All.Select(s => new TriageStatusCount(s.ToWire(), byStatus.GetValueOrDefault(s)))], overdue.Total,
            [.. overdue.Items.Select(f => new OverdueFinding(f.EndpointKey, f.Verdict.ToWire(), f.Status.ToWire(), f.Owner, f.FirstSeen,
                (int)(asOfUtc - f.FirstSeen).TotalDays))]);
    }
}
