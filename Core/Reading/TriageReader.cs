using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Core.Reading;

/// <summary>
/// Reads one finding's triage state and history as model types; <see cref="TriageLedger"/> is the writer. The caller
/// owns <paramref name="db"/>.
/// </summary>
public sealed class TriageReader(ShadowMcpDbContext db)
{
    /// <summary>The finding's state; <see cref="TriageState.Untriaged"/> when nobody has triaged it.</summary>
    public async Task<TriageState> StateAsync(string endpointKey, CancellationToken cancellationToken)
    {
        var row = await db.FindingTriage.AsNoTracking().SingleOrDefaultAsync(t => t.EndpointKey == endpointKey, cancellationToken)
            .ConfigureAwait(false);
        return row is null
            ? TriageState.Untriaged(endpointKey)
            : new TriageState(row.EndpointKey, TriageStatusNames.Parse(row.Status), row.Owner, StoreTime.Utc(row.StatusSince), row.StatusBy);
    }

    /// <summary>The finding's history, newest first (the latest entry of one instant first).</summary>
    public async Task<IReadOnlyList<TriageEvent>> HistoryAsync(string endpointKey, CancellationToken cancellationToken)
    {
        var rows = await db.FindingTriageHistory.AsNoTracking().Where(e => e.EndpointKey == endpointKey)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(e => new TriageEvent(e.Id, StoreTime.Utc(e.At), e.Actor, TriageStatusNames.Parse(e.FromStatus),
            TriageStatusNames.Parse(e.ToStatus), e.FromOwner, e.ToOwner, e.Note))];
    }
}
