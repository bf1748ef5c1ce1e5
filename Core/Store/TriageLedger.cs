using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Store.Postgres;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Core.Store;

/// <summary>
/// Records triage actions: sets status and owner per endpoint key and appends one history entry per finding that
/// changed, all in one transaction. Approving or un-approving merges the finding again so its stored verdict follows
/// (<see cref="TriageVerdict"/>); scans do the same, so a decision survives every re-scan.
/// </summary>
public static class TriageLedger
{
    /// <summary>
    /// Applies <paramref name="change"/> to every key in <paramref name="endpointKeys"/> as <paramref name="actor"/> at
    /// <paramref name="at"/>. A key whose status, owner and note would not change gets no history entry.
    /// Returns how many findings changed.
    /// </summary>
    /// <exception cref="TriageException">No actor, or an owner or note longer than allowed.</exception>
    public static int Apply(ShadowMcpDbContext db, IReadOnlyCollection<string> endpointKeys, TriageChange change, string actor, DateTime at)
    {
        actor = actor.Trim();
        if (actor.Length == 0) throw new TriageException("A triage action needs an actor.");
        if (actor.Length > TriageChange.MaxActorLength) throw new TriageException($"The actor is longer than {TriageChange.MaxActorLength} characters.");
        var owner = change.Owner?.Trim();
        if (owner?.Length > TriageChange.MaxOwnerLength) throw new TriageException($"The owner is longer than {TriageChange.MaxOwnerLength} characters.");
        var note = string.IsNullOrWhiteSpace(change.Note) ? null : change.Note.Trim();
        if (note?.Length > TriageChange.MaxNoteLength) throw new TriageException($"The note is longer than {TriageChange.MaxNoteLength} characters.");
        at = DateTime.SpecifyKind(at, DateTimeKind.Utc);

        using var tx = db.Database.BeginTransaction();
        WriterLock.Take(db);
        var keys = endpointKeys.Distinct(StringComparer.Ordinal).ToList();
        var rows = new Dictionary<string, FindingTriageRow>(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(FindingStore.MaxKeysPerQuery))
            foreach (var row in db.FindingTriage.Where(t => chunk.Contains(t.EndpointKey)))
                rows[row.EndpointKey] = row;

        var changed = 0;
        var verdictFlips = new List<string>();
        foreach (var key in keys)
        {
            var row = rows.GetValueOrDefault(key);
            var from = row is null ? TriageStatus.New : TriageStatusNames.Parse(row.Status);
            var to = change.Status ?? from;
            var fromOwner = row?.Owner;
            var toOwner = owner is null ? fromOwner : owner.Length == 0 ? null : owner;
            if (from == to && fromOwner == toOwner && note is null) continue;
            if (row is null)
            {
                row = new FindingTriageRow { EndpointKey = key, StatusSince = at, StatusBy = actor };
                db.FindingTriage.Add(row);
            }
            if (from != to)
            {
                row.StatusSince = at;
                row.StatusBy = actor;
            }
            row.Status = to.ToWire();
            row.Owner = toOwner;
            row.UpdatedAt = at;
            row.UpdatedBy = actor;
            db.FindingTriageHistory.Add(new FindingTriageEventRow
            {
                EndpointKey = key, At = at, Actor = actor, FromStatus = from.ToWire(), ToStatus = to.ToWire(),
                FromOwner = fromOwner, ToOwner = toOwner, Note = note,
            });
            if ((from == TriageStatus.Approved) != (to == TriageStatus.Approved)) verdictFlips.Add(key);
            changed++;
        }
        db.SaveChanges();

        foreach (var chunk in verdictFlips.Chunk(FindingStore.MaxKeysPerQuery))
        {
            var ids = db.Findings.Where(f => chunk.Contains(f.EndpointKey)).Select(f => f.Id).ToArray();
            if (ids.Length > 0) FindingRecomputer.Recompute(db, ids, at, verdictOnly: true);
        }
        db.SaveChanges();
        tx.Commit();
        db.ChangeTracker.Clear();
        return changed;
    }

    /// <summary>The finding's triage state; a finding nobody triaged yet is new with no owner.</summary>
    public static FindingTriageRow Get(ShadowMcpDbContext db, string endpointKey) =>
        db.FindingTriage.AsNoTracking().SingleOrDefault(t => t.EndpointKey == endpointKey)
        ?? new FindingTriageRow { EndpointKey = endpointKey };

    /// <summary>The finding's history, oldest first (insertion order breaks ties within one instant).</summary>
    public static IReadOnlyList<FindingTriageEventRow> History(ShadowMcpDbContext db, string endpointKey) =>
        [.. db.FindingTriageHistory.AsNoTracking().Where(e => e.EndpointKey == endpointKey).OrderBy(e => e.At).ThenBy(e => e.Id)];

    /// <summary>The decisions the enforcer honours (<see cref="TriageDecisions"/>).</summary>
    public static TriageDecisions Decisions(ShadowMcpDbContext db)
    {
        var decided = db.FindingTriage.AsNoTracking()
            .Where(t => t.Status == "approved" || t.Status == "false_positive" || t.Status == "blocked")
            .Select(t => new { t.EndpointKey, t.Status }).ToList();
        return new TriageDecisions(
            decided.Where(d => d.Status != "blocked").Select(d => d.EndpointKey).ToHashSet(StringComparer.OrdinalIgnoreCase),
            decided.Where(d => d.Status == "blocked").Select(d => d.EndpointKey).ToHashSet(StringComparer.OrdinalIgnoreCase));
    }
}
