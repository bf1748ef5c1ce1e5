using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Store;
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

    public static TriageSection Build(ShadowMcpDbContext db, DateTime asOfUtc, int overdueDays, IReadOnlyDictionary<string, FindingTriageRow> triage)
    {
        var findings = db.Findings.AsNoTracking().Where(f => f.FirstSeen < asOfUtc)
            .Select(f => new { f.EndpointKey, f.Verdict, f.FirstSeen }).ToList();
        var byStatus = new Dictionary<TriageStatus, int>();
        var overdue = new List<OverdueFinding>();
        var cutoff = asOfUtc.AddDays(-overdueDays);
        foreach (var f in findings)
        {
            var row = triage.GetValueOrDefault(f.EndpointKey);
            var status = TriageStatusNames.Parse(row?.Status);
            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            var firstSeen = DateTime.SpecifyKind(f.FirstSeen, DateTimeKind.Utc);
            if (status.IsOpen() && f.Verdict != "sanctioned" && firstSeen < cutoff)
                overdue.Add(new OverdueFinding(f.EndpointKey, f.Verdict, status.ToWire(), row?.Owner, firstSeen, (int)(asOfUtc - firstSeen).TotalDays));
        }
        var top = overdue.OrderBy(o => o.FirstSeen).ThenBy(o => o.Endpoint, StringComparer.Ordinal).Take(TopCount).ToList();
        return new TriageSection(overdueDays, asOfUtc,
            [.. TriageStatusNames.All.Select(s => new TriageStatusCount(s.ToWire(), byStatus.GetValueOrDefault(s)))], overdue.Count, top);
    }

    /// <summary>Every triage row by endpoint key (one small row per triaged finding).</summary>
    public static Dictionary<string, FindingTriageRow> Load(ShadowMcpDbContext db) =>
        db.FindingTriage.AsNoTracking().ToDictionary(t => t.EndpointKey, StringComparer.Ordinal);
}
