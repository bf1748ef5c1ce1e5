using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Reading;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Admin.Findings;

/// <summary>
/// The pages' reads of findings, through Core's <see cref="FindingReader"/>: a filter from the query string becomes
/// its typed query, with this host's page size, "this week" from the clock and the UI's caps.
/// </summary>
internal sealed class FindingQueries(AdminStore store, IOptions<AdminOptions> options, TimeProvider time)
{
    /// <summary>Groups shown at most; the page says how many more there are.</summary>
    public const int MaxGroups = 500;

    /// <summary>Rows in one CSV export at most (a store holds one row per endpoint, so this is generous).</summary>
    public const int MaxExportRows = 200_000;

    public DateTime WeekStart => FindingWeek.Start(time);

    public async Task<FindingPage> ListAsync(FindingFilter filter, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        return await new FindingReader(db).PageAsync(filter.ToFindingQuery(WeekStart), filter.Page, options.Value.PageSize, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Every matching finding in the list's order (at most <see cref="MaxExportRows"/>), for the CSV export.</summary>
    public async IAsyncEnumerable<FindingSummary> ExportAsync(FindingFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        var rows = new FindingReader(db).StreamAsync(filter.ToFindingQuery(WeekStart), MaxExportRows, cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false)) yield return row;
    }

    /// <summary>Counts per verdict for the filter with its verdict left out, so each count can be a link.</summary>
    public async Task<VerdictCounts> CountVerdictsAsync(FindingFilter filter, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        var week = WeekStart;
        return await new FindingReader(db).CountByVerdictAsync((filter with { Verdict = null }).ToFindingQuery(week), week, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Counts per triage status for the filter with its status left out, so each count can be a link.</summary>
    public async Task<IReadOnlyDictionary<TriageStatus, int>> CountStatusesAsync(FindingFilter filter, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        return await new FindingReader(db).CountByStatusAsync((filter with { Status = null }).ToFindingQuery(WeekStart), cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<FindingGroupResult> GroupAsync(FindingFilter filter, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        var reader = new FindingReader(db);
        var week = WeekStart;
        var query = filter.ToFindingQuery(week);
        var groups = filter.Grouping == FindingGrouping.Server
            ? await reader.GroupByServerAsync(query, week, cancellationToken).ConfigureAwait(false)
            : await reader.GroupByClientAsync(query, week, cancellationToken).ConfigureAwait(false);
        var shown = groups
            .OrderByDescending(g => g.Shadow).ThenByDescending(g => g.Endpoints).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(MaxGroups).ToList();
        return new FindingGroupResult(shown, groups.Count);
    }

    /// <summary>The finding with its evidence, or null when the id is not in the store.</summary>
    public async Task<Finding?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        return await new FindingReader(db).GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The finding's bases, strongest first, or null when the id is not in the store.</summary>
    public async Task<FindingBases?> GetBasesAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        return await new FindingReader(db).GetBasesAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The endpoint keys of every matching finding (at most <see cref="MaxExportRows"/>), for a bulk action on the filter.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(FindingFilter filter, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        return await new FindingReader(db).KeysAsync(filter.ToFindingQuery(WeekStart), MaxExportRows, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Those of <paramref name="keys"/> that are findings in the store: a form can name anything.</summary>
    public async Task<IReadOnlyList<string>> ExistingKeysAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        await using var db = store.Open();
        return await new FindingReader(db).ExistingKeysAsync(keys, cancellationToken).ConfigureAwait(false);
    }
}
