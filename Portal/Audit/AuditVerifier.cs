using System.Data;
using Microsoft.EntityFrameworkCore;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// Walks the chain in Seq order, each row checked by its kind (HMAC with the key, or SHA-256 for rows written
/// before it). A row whose own hash does not match its fields was changed. A row that is
/// intact but links to another existing row's hash sits in the wrong place (reordered). A link to a hash no
/// row has, or a gap in Seq, means rows were deleted; a head beyond the last row means the tail was cut.
/// </summary>
internal static class AuditVerifier
{
    /// <summary>Checks the chain with the keys found beside the store (default settings).</summary>
    public static IReadOnlyList<AuditProblem> Verify(PortalStore store) => Verify(store, AuditKeys.Beside(store.KeyDirectory), null);

    /// <param name="checkpoints">Lines of a checkpoint sink (file or syslog), or null to check the chain alone.</param>
    public static IReadOnlyList<AuditProblem> Verify(PortalStore store, AuditKeys keys, IEnumerable<string>? checkpoints)
    {
        using var db = store.Open();
        // Rows and head from one snapshot: replicas keep appending while an operator verifies, and a head read after
        // the rows would point past them ("deleted").
        using var snapshot = db.Database.BeginTransaction(
            store.IsPostgres ? IsolationLevel.RepeatableRead : IsolationLevel.Serializable);
        var rows = db.Audit.AsNoTracking().OrderBy(a => a.Seq).ToList();
        var head = db.AuditHead.AsNoTracking().FirstOrDefault(h => h.Id == 1);
        snapshot.Commit();
        var problems = Verify(rows, head, keys.HmacKey).ToList();
        if (checkpoints is not null) problems.AddRange(CheckpointVerifier.Verify(rows, checkpoints, keys));
        return NameReplicas(problems, rows);
    }

    /// <summary>Replicas on a shared store write one chain; a problem at a row they stamped says which one wrote it.</summary>
    private static List<AuditProblem> NameReplicas(List<AuditProblem> problems, IReadOnlyList<AuditRow> rows)
    {
        var replicaBySeq = rows.Where(r => r.Replica is not null).ToDictionary(r => r.Seq, r => r.Replica!);
        return [.. problems.Select(p => replicaBySeq.TryGetValue(p.Seq, out var by) ? p with { Detail = $"{p.Detail} (written by replica {by})" } : p)];
    }

    internal static IReadOnlyList<AuditProblem> Verify(IReadOnlyList<AuditRow> rows, AuditHeadRow? head) => Verify(rows, head, null);

    internal static IReadOnlyList<AuditProblem> Verify(IReadOnlyList<AuditRow> rows, AuditHeadRow? head, byte[]? key)
    {
        var problems = new List<AuditProblem>();
        var intact = new bool[rows.Count];
        var keyedSeen = false;
        var unverifiable = new List<long>();
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if (r.HashKind is null && keyedSeen)
            {
                // Rows are keyed from the first keyed one on; an unkeyed row after it was written by someone without the key.
                problems.Add(new(r.Seq, "changed", "an unkeyed row after keyed rows (not written by the portal)"));
                continue;
            }
            keyedSeen |= r.HashKind is not null;
            var expected = AuditHasher.ComputeFor(r, key);
            if (expected is null && r.HashKind == AuditHasher.Keyed) { unverifiable.Add(r.Seq); intact[i] = true; continue; }
            intact[i] = expected == r.Hash;
        }
        if (unverifiable.Count > 0)
            problems.Add(new(unverifiable[0], "not checked",
                $"{unverifiable.Count} keyed row(s) cannot be checked without the audit HMAC key"));
        var seqByHash = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
            if (intact[i]) seqByHash.TryAdd(rows[i].Hash, rows[i].Seq);

        var hasSuccessor = rows.Where((_, i) => intact[i]).Select(r => r.PrevHash).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if (!intact[i])
            {
                if (problems.All(p => p.Seq != r.Seq)) problems.Add(new(r.Seq, "changed", "fields do not match the row's hash"));
                continue;
            }
            var prev = i == 0 ? null : rows[i - 1];
            if (r.PrevHash == (prev?.Hash ?? AuditHasher.Genesis)) continue;
            var linksToExisting = r.PrevHash == AuditHasher.Genesis || seqByHash.ContainsKey(r.PrevHash);
            if (linksToExisting)
            {
                // Only a row whose links on both sides are broken has moved; its neighbours merely see the move.
                var outOk = i == rows.Count - 1 ? !hasSuccessor.Contains(r.Hash) : rows[i + 1].PrevHash == r.Hash;
                if (outOk) continue;
                var belongs = r.PrevHash == AuditHasher.Genesis ? "at the start" : $"after row {seqByHash[r.PrevHash]}";
                problems.Add(new(r.Seq, "reordered", $"belongs {belongs}, found after row {prev?.Seq ?? 0}"));
            }
            else if (prev is not null && prev.Seq == r.Seq - 1 && intact[i - 1])
                problems.Add(new(prev.Seq, "changed", $"its hash was recomputed; row {r.Seq} still links to the original"));
            else
            {
                var from = (prev?.Seq ?? 0) + 1;
                problems.Add(new(r.Seq, "deleted before", from < r.Seq ? $"rows {from}..{r.Seq - 1} are missing" : "the row it chains to is missing"));
            }
        }
        if (head is not null)
        {
            var last = rows.Count > 0 ? rows[^1] : null;
            if (last is null || head.Seq > last.Seq)
                problems.Add(new(head.Seq, "deleted", $"the log ends at row {last?.Seq ?? 0} but the head records row {head.Seq}"));
            else if (head.Seq == last.Seq && head.Hash != last.Hash && intact[^1])
                problems.Add(new(last.Seq, "changed", "the head records a different hash for the last row"));
        }
        return problems;
    }
}
