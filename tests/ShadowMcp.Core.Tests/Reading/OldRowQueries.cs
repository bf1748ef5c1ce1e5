using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Reading;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Core.Tests.Reading;

/// <summary>
/// The queries the admin UI and the report's triage section ran over the rows before the read API (Admin's
/// FindingQueries and Reports' TriageSectionBuilder at 314b991), kept as they were so a test can show the reader
/// answers the same on the same store. Not a second implementation to maintain: it only ever has to match its past.
/// </summary>
internal static class OldRowQueries
{
    public sealed record Filter(Verdict? Verdict, TriageStatus? Status, DateTime? FromUtc, DateTime? ToUtc, bool NewThisWeek, string? Text,
        FindingSort Sort, bool Descending);

    public static IQueryable<FindingRow> Apply(ShadowMcpDbContext db, Filter filter, DateTime weekStart)
    {
        var query = db.Findings.AsNoTracking();
        if (filter.Status is { } status)
        {
            var wire = status.ToWire();
            var triage = db.FindingTriage;
            query = status == TriageStatus.New
                ? query.Where(f => !triage.Any(t => t.EndpointKey == f.EndpointKey && t.Status != wire))
                : query.Where(f => triage.Any(t => t.EndpointKey == f.EndpointKey && t.Status == wire));
        }
        if (filter.Verdict is { } v)
        {
            var wire = v.ToWire();
            query = query.Where(f => f.Verdict == wire);
        }
        if (filter.FromUtc is { } from) query = query.Where(f => f.LastSeen >= from);
        if (filter.ToUtc is { } to) query = query.Where(f => f.FirstSeen < to);
        if (filter.NewThisWeek) query = query.Where(f => f.FirstSeen >= weekStart);
        if (filter.Text is { } text)
        {
            var pattern = "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal) + "%";
            query = query.Where(f =>
                EF.Functions.Like(f.EndpointKey, pattern, "\\")
                || EF.Functions.Like(f.Host!, pattern, "\\")
                || EF.Functions.Like(f.HostsJson, pattern, "\\")
                || EF.Functions.Like(f.ServerName!, pattern, "\\")
                || EF.Functions.Like(f.ClientsJson, pattern, "\\")
                || f.Evidence.Any(e => EF.Functions.Like(e.Rule, pattern, "\\") || EF.Functions.Like(e.Detail, pattern, "\\")
                    || EF.Functions.Like(e.Example!, pattern, "\\")));
        }
        return query;
    }

    public static IQueryable<FindingRow> Order(IQueryable<FindingRow> query, Filter filter)
    {
        var d = filter.Descending;
        IOrderedQueryable<FindingRow> ordered = filter.Sort switch
        {
            FindingSort.FirstSeen => d ? query.OrderByDescending(f => f.FirstSeen) : query.OrderBy(f => f.FirstSeen),
            FindingSort.Endpoint => d ? query.OrderByDescending(f => f.EndpointKey) : query.OrderBy(f => f.EndpointKey),
            FindingSort.Verdict => d ? query.OrderByDescending(f => f.Verdict) : query.OrderBy(f => f.Verdict),
            FindingSort.Server => d ? query.OrderByDescending(f => f.ServerName) : query.OrderBy(f => f.ServerName),
            FindingSort.Confidence => d ? query.OrderByDescending(f => f.Confidence) : query.OrderBy(f => f.Confidence),
            FindingSort.Flows => d ? query.OrderByDescending(f => f.Flows) : query.OrderBy(f => f.Flows),
            _ => d ? query.OrderByDescending(f => f.LastSeen) : query.OrderBy(f => f.LastSeen),
        };
        return ordered.ThenByDescending(f => f.LastSeen).ThenBy(f => f.EndpointKey).ThenBy(f => f.Id);
    }

    public static (int Shadow, int Suspected, int Sanctioned, int New) CountVerdicts(ShadowMcpDbContext db, Filter filter, DateTime week)
    {
        var rows = Apply(db, filter with { Verdict = null }, week)
            .GroupBy(f => f.Verdict)
            .Select(g => new { Verdict = g.Key, Count = g.Count(), New = g.Count(f => f.FirstSeen >= week) })
            .ToList();
        int Of(Verdict verdict) => rows.Where(r => r.Verdict == verdict.ToWire()).Sum(r => r.Count);
        return (Of(Verdict.Shadow), Of(Verdict.Suspected), Of(Verdict.Sanctioned), rows.Sum(r => r.New));
    }

    public static Dictionary<TriageStatus, int> CountStatuses(ShadowMcpDbContext db, Filter filter, DateTime week)
    {
        var query = Apply(db, filter with { Status = null }, week);
        var total = query.Count();
        var triaged = (from f in query
                       join t in db.FindingTriage on f.EndpointKey equals t.EndpointKey
                       group t by t.Status into g
                       select new { Status = g.Key, Count = g.Count() }).ToList();
        var counts = TriageStatusNames.All.ToDictionary(s => s, s => 0);
        foreach (var row in triaged) counts[TriageStatusNames.Parse(row.Status)] += row.Count;
        counts[TriageStatus.New] += total - triaged.Sum(r => r.Count);
        return counts;
    }

    /// <summary>The report's overdue list: count, and the oldest <paramref name="top"/> keys.</summary>
    public static (int Count, List<string> Top) Overdue(ShadowMcpDbContext db, DateTime asOfUtc, int overdueDays, int top)
    {
        var triage = db.FindingTriage.AsNoTracking().ToDictionary(t => t.EndpointKey, StringComparer.Ordinal);
        var findings = db.Findings.AsNoTracking().Where(f => f.FirstSeen < asOfUtc)
            .Select(f => new { f.EndpointKey, f.Verdict, f.FirstSeen }).ToList();
        var cutoff = asOfUtc.AddDays(-overdueDays);
        var overdue = findings
            .Where(f => TriageStatusNames.Parse(triage.GetValueOrDefault(f.EndpointKey)?.Status).IsOpen() && f.Verdict != "sanctioned"
                && DateTime.SpecifyKind(f.FirstSeen, DateTimeKind.Utc) < cutoff)
            .ToList();
        return (overdue.Count, [.. overdue.OrderBy(o => o.FirstSeen).ThenBy(o => o.EndpointKey, StringComparer.Ordinal).Take(top).Select(o => o.EndpointKey)]);
    }
}
