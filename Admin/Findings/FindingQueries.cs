using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Admin.Findings;

/// <summary>Reads findings for the pages: filtered, sorted, one page at a time, counted per verdict, or grouped.</summary>
internal sealed class FindingQueries(AdminStore store, IOptions<AdminOptions> options, TimeProvider time)
{
    /// <summary>Groups shown at most; the page says how many more there are.</summary>
    public const int MaxGroups = 500;

    /// <summary>Rows in one CSV export at most (a store holds one row per endpoint, so this is generous).</summary>
    public const int MaxExportRows = 200_000;

    // Keys per IN list, well below SQLite's limit on parameters in one statement.
    private const int KeysPerQuery = 500;

    private static readonly string Shadow = Verdict.Shadow.ToWire();
    private static readonly string Suspected = Verdict.Suspected.ToWire();
    private static readonly string Sanctioned = Verdict.Sanctioned.ToWire();

    public DateTime WeekStart => FindingWeek.Start(time);

    public async Task<FindingListResult> ListAsync(FindingFilter filter, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        var week = WeekStart;
        var query = Apply(db, filter, week);
        var total = await query.CountAsync(cancellationToken).ConfigureAwait(false);
        var size = options.Value.PageSize;
        var page = Math.Min(filter.Page, Math.Max(1, (total + size - 1) / size));
        var rows = await Summaries(Order(query, filter), db.FindingTriage, week)
            .Skip((page - 1) * size).Take(size)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new FindingListResult(rows, total, page, size);
    }

    /// <summary>Every matching finding in the list's order, for the CSV export.</summary>
    public IAsyncEnumerable<FindingExportRow> ExportAsync(FindingFilter filter, ShadowMcpDbContext db)
    {
        var week = WeekStart;
        return Order(Apply(db, filter, week), filter)
            .Take(MaxExportRows)
            .Select(f => new FindingExportRow(f.EndpointKey, f.Host, f.Verdict, f.ServerName, f.ServerVersion, f.Transport, f.Confidence,
                f.Flows, f.Evidence.Count, f.FirstSeen, f.LastSeen, f.FirstSeen >= week, f.HostsJson, f.ClientsJson,
                db.FindingTriage.Where(t => t.EndpointKey == f.EndpointKey).Select(t => t.Status).FirstOrDefault(),
                db.FindingTriage.Where(t => t.EndpointKey == f.EndpointKey).Select(t => t.Owner).FirstOrDefault()))
            .AsAsyncEnumerable();
    }

    public ShadowMcpDbContext OpenStore() => store.Open();

    /// <summary>Counts per verdict for the filter with its verdict left out, so each count can be a link.</summary>
    public async Task<VerdictCounts> CountVerdictsAsync(FindingFilter filter, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        var week = WeekStart;
        var rows = await Apply(db, filter with { Verdict = null }, week)
            .GroupBy(f => f.Verdict)
            .Select(g => new { Verdict = g.Key, Count = g.Count(), New = g.Count(f => f.FirstSeen >= week) })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        int Of(string verdict) => rows.Where(r => r.Verdict == verdict).Sum(r => r.Count);
        return new VerdictCounts(Of(Shadow), Of(Suspected), Of(Sanctioned), rows.Sum(r => r.New));
    }

    /// <summary>Counts per triage status for the filter with its status left out, so each count can be a link.</summary>
    public async Task<TriageCounts> CountStatusesAsync(FindingFilter filter, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        var query = Apply(db, filter with { Status = null }, WeekStart);
        var total = await query.CountAsync(cancellationToken).ConfigureAwait(false);
        var triaged = await (from f in query
                             join t in db.FindingTriage on f.EndpointKey equals t.EndpointKey
                             group t by t.Status into g
                             select new { Status = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var counts = TriageStatusNames.All.ToDictionary(s => s.ToWire(), s => 0);
        foreach (var row in triaged) counts[TriageStatusNames.Parse(row.Status).ToWire()] += row.Count;
        // A finding without a triage row is new.
        counts[TriageStatus.New.ToWire()] += total - triaged.Sum(r => r.Count);
        return new TriageCounts(counts);
    }

    public async Task<FindingGroupResult> GroupAsync(FindingFilter filter, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        var week = WeekStart;
        var query = Apply(db, filter, week);
        List<FindingGroup> groups;
        if (filter.Grouping == FindingGrouping.Server)
        {
            groups = await query
                .GroupBy(f => f.ServerName ?? "")
                .Select(g => new FindingGroup(g.Key, g.Count(), g.Sum(f => (long)f.Flows),
                    g.Count(f => f.Verdict == Shadow), g.Count(f => f.Verdict == Suspected), g.Count(f => f.Verdict == Sanctioned),
                    g.Count(f => f.FirstSeen >= week), g.Max(f => f.LastSeen)))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Clients are a JSON list per finding: unrolled here, one pass over the matching rows.
            var rows = await query.Select(f => new { f.ClientsJson, f.Verdict, f.Flows, f.FirstSeen, f.LastSeen })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var byClient = new Dictionary<string, (int Endpoints, long Flows, int Shadow, int Suspected, int Sanctioned, int New, DateTime Last)>(StringComparer.Ordinal);
            foreach (var r in rows)
            {
                foreach (var client in JsonList(r.ClientsJson))
                {
                    byClient.TryGetValue(client, out var g);
                    byClient[client] = (g.Endpoints + 1, g.Flows + r.Flows, g.Shadow + (r.Verdict == Shadow ? 1 : 0),
                        g.Suspected + (r.Verdict == Suspected ? 1 : 0), g.Sanctioned + (r.Verdict == Sanctioned ? 1 : 0),
                        g.New + (r.FirstSeen >= week ? 1 : 0), r.LastSeen > g.Last ? r.LastSeen : g.Last);
                }
            }
            groups = [.. byClient.Select(kv => new FindingGroup(kv.Key, kv.Value.Endpoints, kv.Value.Flows, kv.Value.Shadow,
                kv.Value.Suspected, kv.Value.Sanctioned, kv.Value.New, kv.Value.Last))];
        }
        var shown = groups
            .OrderByDescending(g => g.Shadow).ThenByDescending(g => g.Endpoints).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(MaxGroups).ToList();
        return new FindingGroupResult(shown, groups.Count);
    }

    /// <summary>The finding with its evidence, or null when the id is not in the store.</summary>
    public async Task<Finding?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        var row = await db.Findings.AsNoTracking().Include(f => f.Evidence)
            .SingleOrDefaultAsync(f => f.Id == id, cancellationToken).ConfigureAwait(false);
        return row is null ? null : FindingRowMapper.ToFinding(row);
    }

    /// <summary>The endpoint keys of every matching finding (at most <see cref="MaxExportRows"/>), for a bulk action on the filter.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(FindingFilter filter, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        return await Order(Apply(db, filter, WeekStart), filter).Take(MaxExportRows).Select(f => f.EndpointKey)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Those of <paramref name="keys"/> that are findings in the store: a form can name anything.</summary>
    public async Task<IReadOnlyList<string>> ExistingKeysAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        var found = new List<string>(keys.Count);
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(KeysPerQuery))
            found.AddRange(await db.Findings.AsNoTracking().Where(f => chunk.Contains(f.EndpointKey)).Select(f => f.EndpointKey)
                .ToListAsync(cancellationToken).ConfigureAwait(false));
        return found;
    }

    private static IQueryable<FindingSummary> Summaries(IQueryable<FindingRow> query, IQueryable<FindingTriageRow> triage, DateTime week) =>
        query.Select(f => new FindingSummary(f.Id, f.EndpointKey, f.Host, f.Verdict, f.Transport, f.ServerName, f.ServerVersion,
            f.Confidence, f.Flows, f.FirstSeen, f.LastSeen, f.Evidence.Count, f.FirstSeen >= week)
        {
            Status = triage.Where(t => t.EndpointKey == f.EndpointKey).Select(t => t.Status).FirstOrDefault() ?? "new",
            Owner = triage.Where(t => t.EndpointKey == f.EndpointKey).Select(t => t.Owner).FirstOrDefault(),
        });

    internal static IQueryable<FindingRow> Order(IQueryable<FindingRow> query, FindingFilter filter)
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
        // Ties in a stable order, so paging never shows a row twice or skips one.
        return ordered.ThenByDescending(f => f.LastSeen).ThenBy(f => f.EndpointKey).ThenBy(f => f.Id);
    }

    internal static IQueryable<FindingRow> Apply(ShadowMcpDbContext db, FindingFilter filter, DateTime weekStart)
    {
        var query = db.Findings.AsNoTracking();
        if (filter.Status is { } status)
        {
            // A finding nobody triaged has no row and is new.
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
            // LIKE is case-insensitive for ASCII in SQLite; the user's % _ and \ are matched literally.
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

    /// <summary>A stored JSON list of strings (clients, hosts); empty when it does not parse.</summary>
    internal static IEnumerable<string> JsonList(string json)
    {
        string[]? clients;
        try { clients = JsonSerializer.Deserialize<string[]>(json); }
        catch (JsonException) { clients = null; }
        return clients ?? [];
    }
}
