using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Admin.Findings;

/// <summary>Reads findings for the pages: filtered, newest activity first, one page at a time.</summary>
internal sealed class FindingQueries(AdminStore store, IOptions<AdminOptions> options)
{
    public async Task<FindingListResult> ListAsync(FindingFilter filter, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        var query = Apply(db.Findings.AsNoTracking(), filter);
        var total = await query.CountAsync(cancellationToken).ConfigureAwait(false);
        var size = options.Value.PageSize;
        var page = Math.Min(filter.Page, Math.Max(1, (total + size - 1) / size));
        var rows = await query
            .OrderByDescending(f => f.LastSeen).ThenBy(f => f.EndpointKey)
            .Skip((page - 1) * size).Take(size)
            .Select(f => new FindingSummary(f.Id, f.EndpointKey, f.Host, f.Verdict, f.Transport, f.ServerName, f.ServerVersion,
                f.Confidence, f.Flows, f.FirstSeen, f.LastSeen, f.Evidence.Count))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new FindingListResult(rows, total, page, size);
    }

    /// <summary>The finding with its evidence, or null when the id is not in the store.</summary>
    public async Task<Finding?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        var row = await db.Findings.AsNoTracking().Include(f => f.Evidence)
            .SingleOrDefaultAsync(f => f.Id == id, cancellationToken).ConfigureAwait(false);
        return row is null ? null : FindingRowMapper.ToFinding(row);
    }

    internal static IQueryable<FindingRow> Apply(IQueryable<FindingRow> query, FindingFilter filter)
    {
        if (filter.Verdict is { } v)
        {
            var wire = v.ToWire();
            query = query.Where(f => f.Verdict == wire);
        }
        if (filter.FromUtc is { } from) query = query.Where(f => f.LastSeen >= from);
        if (filter.ToUtc is { } to) query = query.Where(f => f.FirstSeen < to);
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
                || f.Evidence.Any(e => EF.Functions.Like(e.Rule, pattern, "\\") || EF.Functions.Like(e.Detail, pattern, "\\")
                    || EF.Functions.Like(e.Example!, pattern, "\\")));
        }
        return query;
    }
}
