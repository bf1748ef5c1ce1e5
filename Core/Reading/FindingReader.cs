using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Core.Reading;

/// <summary>
/// Reads findings for the admin UI and the reports as model types: filtered, sorted and paged lists, counts per
/// verdict and per triage status, groups per server or client, and one finding with its evidence. Filters, order and
/// paging run in the database (SQLite or PostgreSQL); the caller owns <paramref name="db"/>.
/// </summary>
public sealed class FindingReader(ShadowMcpDbContext db)
{
    private static readonly string Shadow = Verdict.Shadow.ToWire();
    private static readonly string Suspected = Verdict.Suspected.ToWire();
    private static readonly string Sanctioned = Verdict.Sanctioned.ToWire();


    /// <summary>
    /// Page <paramref name="page"/> (1-based; past the last page reads the last) of the matching findings in the
    /// query's order, and how many match in all.
    /// </summary>
    public async Task<FindingPage> PageAsync(FindingQuery query, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var rows = FindingRowQuery.Filter(db, query);
        var total = await rows.CountAsync(cancellationToken).ConfigureAwait(false);
        var last = Math.Max(1, (total + pageSize - 1) / pageSize);
        page = Math.Clamp(page, 1, last);
        if (total == 0) return new FindingPage([], 0, page, pageSize);
        var items = await Summaries(FindingRowQuery.Order(rows, query))
            .Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new FindingPage(await WithBasesAsync(items, cancellationToken).ConfigureAwait(false), total, page, pageSize);
    }

    /// <summary>The first <paramref name="max"/> matching findings in the query's order, streamed (an export).</summary>
    public async IAsyncEnumerable<FindingSummary> StreamAsync(FindingQuery query, int max, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The order's ids first, then their rows and bases a chunk at a time: one open reader per connection, and no
        // OFFSET that grows with the export.
        var ids = await FindingRowQuery.Order(FindingRowQuery.Filter(db, query), query).Take(max).Select(f => f.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in ids.Chunk(FindingStore.MaxKeysPerQuery))
        {
            var rows = await Summaries(db.Findings.AsNoTracking().Where(f => chunk.Contains(f.Id))).ToListAsync(cancellationToken).ConfigureAwait(false);
            var byId = (await WithBasesAsync(rows, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Id);
            foreach (var id in chunk)
                if (byId.TryGetValue(id, out var summary)) yield return summary;
        }
    }

    /// <summary>The bases of the finding with row id <paramref name="id"/>, or null when there is none.</summary>
    public async Task<FindingBases?> GetBasesAsync(long id, CancellationToken cancellationToken) =>
        (await FindingBasisQuery.ReadAsync(db, [id], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(id);

    private async Task<List<FindingSummary>> WithBasesAsync(List<SummaryRow> rows, CancellationToken cancellationToken)
    {
        var bases = await FindingBasisQuery.ReadAsync(db, [.. rows.Select(r => r.Id)], cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => ToSummary(r) with { Bases = bases.GetValueOrDefault(r.Id) ?? FindingBases.None })];
    }

    /// <summary>The endpoint keys of the first <paramref name="max"/> matching findings in the query's order.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(FindingQuery query, int max, CancellationToken cancellationToken) =>
        await FindingRowQuery.Order(FindingRowQuery.Filter(db, query), query).Take(max).Select(f => f.EndpointKey)
            .ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Those of <paramref name="keys"/> that are findings in the store (each once).</summary>
    public async Task<IReadOnlyList<string>> ExistingKeysAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var found = new List<string>(keys.Count);
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(FindingStore.MaxKeysPerQuery))
            found.AddRange(await db.Findings.AsNoTracking().Where(f => chunk.Contains(f.EndpointKey)).Select(f => f.EndpointKey)
                .ToListAsync(cancellationToken).ConfigureAwait(false));
        return found;
    }

    /// <summary>How many matching findings have each verdict; <paramref name="newSinceUtc"/> says from when one is new.</summary>
    public async Task<VerdictCounts> CountByVerdictAsync(FindingQuery query, DateTime newSinceUtc, CancellationToken cancellationToken)
    {
        var since = StoreTime.Utc(newSinceUtc);
        var rows = await FindingRowQuery.Filter(db, query)
            .GroupBy(f => f.Verdict)
            .Select(g => new { Verdict = g.Key, Count = g.Count(), New = g.Count(f => f.FirstSeen >= since) })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        int Of(Verdict verdict) => rows.Where(r => VerdictNames.ParseOrSuspected(r.Verdict) == verdict).Sum(r => r.Count);
        return new VerdictCounts(Of(Verdict.Shadow), Of(Verdict.Suspected), Of(Verdict.Sanctioned), rows.Sum(r => r.New));
    }

    /// <summary>How many matching findings have each triage status (every status is present, most with 0).</summary>
    public async Task<IReadOnlyDictionary<TriageStatus, int>> CountByStatusAsync(FindingQuery query, CancellationToken cancellationToken)
    {
        var rows = FindingRowQuery.Filter(db, query);
        var total = await rows.CountAsync(cancellationToken).ConfigureAwait(false);
        var triaged = await (from f in rows
                             join t in db.FindingTriage on f.EndpointKey equals t.EndpointKey
                             group t by t.Status into g
                             select new { Status = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var counts = TriageStatusNames.All.ToDictionary(s => s, _ => 0);
        foreach (var row in triaged) counts[TriageStatusNames.Parse(row.Status)] += row.Count;
        // A finding without a triage row is new.
        counts[TriageStatus.New] += total - triaged.Sum(r => r.Count);
        return counts;
    }

    /// <summary>The matching findings rolled up per server name ("" for none seen), counted in the database.</summary>
    public async Task<IReadOnlyList<FindingGroup>> GroupByServerAsync(FindingQuery query, DateTime newSinceUtc, CancellationToken cancellationToken)
    {
        var since = StoreTime.Utc(newSinceUtc);
        var groups = await FindingRowQuery.Filter(db, query)
            .GroupBy(f => f.ServerName ?? "")
            .Select(g => new
            {
                g.Key, Endpoints = g.Count(), Flows = g.Sum(f => (long)f.Flows),
                Shadow = g.Count(f => f.Verdict == Shadow), Suspected = g.Count(f => f.Verdict == Suspected),
                Sanctioned = g.Count(f => f.Verdict == Sanctioned), New = g.Count(f => f.FirstSeen >= since), LastSeen = g.Max(f => f.LastSeen),
            })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. groups.Select(g => new FindingGroup(g.Key, g.Endpoints, g.Flows, g.Shadow, g.Suspected, g.Sanctioned, g.New, StoreTime.Utc(g.LastSeen)))];
    }

    /// <summary>
    /// The matching findings rolled up per client address. Clients are a JSON list per finding, so the matching rows'
    /// few columns are read once and unrolled here.
    /// </summary>
    public async Task<IReadOnlyList<FindingGroup>> GroupByClientAsync(FindingQuery query, DateTime newSinceUtc, CancellationToken cancellationToken)
    {
        var since = StoreTime.Utc(newSinceUtc);
        var rows = await FindingRowQuery.Filter(db, query).Select(f => new { f.ClientsJson, f.Verdict, f.Flows, f.FirstSeen, f.LastSeen })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var byClient = new Dictionary<string, (int Endpoints, long Flows, int Shadow, int Suspected, int Sanctioned, int New, DateTime Last)>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            var (shadow, suspected, sanctioned) = (r.Verdict == Shadow ? 1 : 0, r.Verdict == Suspected ? 1 : 0, r.Verdict == Sanctioned ? 1 : 0);
            foreach (var client in FindingRowMapper.Strings(r.ClientsJson))
            {
                byClient.TryGetValue(client, out var g);
                byClient[client] = (g.Endpoints + 1, g.Flows + r.Flows, g.Shadow + shadow, g.Suspected + suspected, g.Sanctioned + sanctioned,
                    g.New + (r.FirstSeen >= since ? 1 : 0), r.LastSeen > g.Last ? r.LastSeen : g.Last);
            }
        }
        return [.. byClient.Select(kv => new FindingGroup(kv.Key, kv.Value.Endpoints, kv.Value.Flows, kv.Value.Shadow,
            kv.Value.Suspected, kv.Value.Sanctioned, kv.Value.New, StoreTime.Utc(kv.Value.Last)))];
    }

    /// <summary>The finding with row id <paramref name="id"/> and its evidence, or null when there is none.</summary>
    public async Task<Finding?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var row = await db.Findings.AsNoTracking().Include(f => f.Evidence)
            .SingleOrDefaultAsync(f => f.Id == id, cancellationToken).ConfigureAwait(false);
        return row is null ? null : FindingRowMapper.ToFinding(row);
    }

    private IQueryable<SummaryRow> Summaries(IQueryable<FindingRow> rows)
    {
        var triage = db.FindingTriage;
        return rows.Select(f => new SummaryRow(f.Id, f.EndpointKey, f.Host, f.Verdict, f.Transport, f.ServerName, f.ServerVersion,
            f.Confidence, f.Flows, f.FirstSeen, f.LastSeen, f.Evidence.Count,
            triage.Where(t => t.EndpointKey == f.EndpointKey).Select(t => t.Status).FirstOrDefault(),
            triage.Where(t => t.EndpointKey == f.EndpointKey).Select(t => t.Owner).FirstOrDefault(),
            f.HostsJson, f.ClientsJson));
    }

    private static FindingSummary ToSummary(SummaryRow r)
    {
        var verdict = VerdictNames.ParseOrSuspected(r.Verdict);
        return new FindingSummary(r.Id, r.EndpointKey, r.Host, verdict, r.Transport, r.ServerName, r.ServerVersion, r.Confidence, r.Flows,
            StoreTime.Utc(r.FirstSeen), StoreTime.Utc(r.LastSeen), r.EvidenceCount)
        {
            Status = TriageStatusNames.Parse(r.Status),
            Owner = r.Owner,
            Hosts = FindingRowMapper.Strings(r.HostsJson),
            Clients = FindingRowMapper.Strings(r.ClientsJson),
        };
    }

    /// <summary>The columns a summary needs, as the database returns them.</summary>
    private sealed record SummaryRow(
        long Id, string EndpointKey, string? Host, string Verdict, string Transport, string? ServerName, string? ServerVersion,
        double Confidence, int Flows, DateTime FirstSeen, DateTime LastSeen, int EvidenceCount, string? Status, string? Owner,
        string HostsJson, string ClientsJson);
}
