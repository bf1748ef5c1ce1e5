using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Core.Reading;

/// <summary>
/// A <see cref="FindingQuery"/> as EF Core LINQ over the finding rows: the one place that knows how verdicts and
/// triage statuses are stored, and the only spelling of the filters, so SQLite and PostgreSQL run the same query.
/// </summary>
internal static class FindingRowQuery
{
    public static IQueryable<FindingRow> Filter(ShadowMcpDbContext db, FindingQuery query)
    {
        var rows = db.Findings.AsNoTracking();
        if (query.Verdicts is { } verdicts)
        {
            var wires = verdicts.Select(v => v.ToWire()).Distinct(StringComparer.Ordinal).ToArray();
            rows = rows.Where(f => wires.Contains(f.Verdict));
        }
        if (query.Statuses is { } statuses) rows = WithStatus(db, rows, statuses);
        if (query.Bases is { } bases) rows = FindingBasisQuery.WithPrimary(db, rows, bases);
        if (query.ActiveFromUtc is { } from)
        {
            var t = StoreTime.Utc(from);
            rows = rows.Where(f => f.LastSeen >= t);
        }
        if (query.ActiveToUtc is { } to)
        {
            var t = StoreTime.Utc(to);
            rows = rows.Where(f => f.FirstSeen < t);
        }
        if (query.FirstSeenFromUtc is { } firstFrom)
        {
            var t = StoreTime.Utc(firstFrom);
            rows = rows.Where(f => f.FirstSeen >= t);
        }
        if (query.FirstSeenBeforeUtc is { } firstBefore)
        {
            var t = StoreTime.Utc(firstBefore);
            rows = rows.Where(f => f.FirstSeen < t);
        }
        if (!string.IsNullOrEmpty(query.Text)) rows = WithText(db, rows, query.Text);
        return rows;
    }

    public static IOrderedQueryable<FindingRow> Order(IQueryable<FindingRow> rows, FindingQuery query)
    {
        var d = query.Descending;
        var ordered = query.Sort switch
        {
            FindingSort.FirstSeen => d ? rows.OrderByDescending(f => f.FirstSeen) : rows.OrderBy(f => f.FirstSeen),
            FindingSort.Endpoint => d ? rows.OrderByDescending(f => f.EndpointKey) : rows.OrderBy(f => f.EndpointKey),
            FindingSort.Verdict => d ? rows.OrderByDescending(f => f.Verdict) : rows.OrderBy(f => f.Verdict),
            // A finding without a server name sorts lowest on both engines (PostgreSQL alone would put NULL last).
            FindingSort.Server => d ? rows.OrderByDescending(f => f.ServerName != null).ThenByDescending(f => f.ServerName)
                : rows.OrderBy(f => f.ServerName != null).ThenBy(f => f.ServerName),
            FindingSort.Confidence => d ? rows.OrderByDescending(f => f.Confidence) : rows.OrderBy(f => f.Confidence),
            FindingSort.Flows => d ? rows.OrderByDescending(f => f.Flows) : rows.OrderBy(f => f.Flows),
            _ => d ? rows.OrderByDescending(f => f.LastSeen) : rows.OrderBy(f => f.LastSeen),
        };
        // Ties in a stable order, so paging never shows a row twice or skips one.
        return ordered.ThenByDescending(f => f.LastSeen).ThenBy(f => f.EndpointKey).ThenBy(f => f.Id);
    }

    /// <summary>A finding without a triage row is new; one with a row has that row's status.</summary>
    private static IQueryable<FindingRow> WithStatus(ShadowMcpDbContext db, IQueryable<FindingRow> rows, IReadOnlySet<TriageStatus> statuses)
    {
        var wires = statuses.Select(s => s.ToWire()).Distinct(StringComparer.Ordinal).ToArray();
        var triage = db.FindingTriage;
        return statuses.Contains(TriageStatus.New)
            ? rows.Where(f => !triage.Any(t => t.EndpointKey == f.EndpointKey && !wires.Contains(t.Status)))
            : rows.Where(f => triage.Any(t => t.EndpointKey == f.EndpointKey && wires.Contains(t.Status)));
    }

    /// <summary>
    /// LIKE with the user's <c>% _ \</c> escaped. SQLite's LIKE ignores ASCII case; PostgreSQL's does not, so there it
    /// is ILIKE, and the same search finds the same findings on either engine.
    /// </summary>
    private static IQueryable<FindingRow> WithText(ShadowMcpDbContext db, IQueryable<FindingRow> rows, string text)
    {
        var pattern = "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";
        if (db.Database.IsNpgsql())
        {
            return rows.Where(f =>
                EF.Functions.ILike(f.EndpointKey, pattern, "\\")
                || EF.Functions.ILike(f.Host!, pattern, "\\")
                || EF.Functions.ILike(f.HostsJson, pattern, "\\")
                || EF.Functions.ILike(f.ServerName!, pattern, "\\")
                || EF.Functions.ILike(f.ClientsJson, pattern, "\\")
                || f.Evidence.Any(e => EF.Functions.ILike(e.Rule, pattern, "\\") || EF.Functions.ILike(e.Detail, pattern, "\\")
                    || EF.Functions.ILike(e.Example!, pattern, "\\")));
        }
        return rows.Where(f =>
            EF.Functions.Like(f.EndpointKey, pattern, "\\")
            || EF.Functions.Like(f.Host!, pattern, "\\")
            || EF.Functions.Like(f.HostsJson, pattern, "\\")
            || EF.Functions.Like(f.ServerName!, pattern, "\\")
            || EF.Functions.Like(f.ClientsJson, pattern, "\\")
            || f.Evidence.Any(e => EF.Functions.Like(e.Rule, pattern, "\\") || EF.Functions.Like(e.Detail, pattern, "\\")
                || EF.Functions.Like(e.Example!, pattern, "\\")));
    }
}
