using Microsoft.EntityFrameworkCore;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// Appends hash-chained rows. One writer per process: appends are serialised so each row links to the one
/// before it. The head row is updated in the same transaction, so truncating the tail shows up in verify.
/// </summary>
internal sealed class AuditLog(PortalStore store, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<long> AppendAsync(AuditRecord record, CancellationToken ct = default)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            await using var db = store.Open();
            await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
            var head = await db.AuditHead.FindAsync([1], CancellationToken.None);
            var last = await db.Audit.OrderByDescending(a => a.Seq).Select(a => new { a.Seq, a.Hash }).FirstOrDefaultAsync(CancellationToken.None);
            var row = new AuditRow
            {
                Seq = Math.Max(last?.Seq ?? 0, head?.Seq ?? 0) + 1,
                Time = WholeMilliseconds(time.GetUtcNow()),
                User = record.User,
                Group = record.Group,
                ClientName = record.ClientName,
                ClientVersion = record.ClientVersion,
                Server = record.Server,
                Method = record.Method,
                Tool = record.Tool,
                ArgumentBytes = record.ArgumentBytes,
                ArgumentHash = record.ArgumentHash,
                Arguments = record.Arguments,
                DurationMs = Math.Round(record.DurationMs, 3),
                Outcome = record.Outcome,
                Decision = record.Decision,
                DlpHits = record.DlpHits,
                ExecutionId = record.ExecutionId,
                // Chain to the head, not to whatever row is last now: a deleted tail then breaks the link visibly.
                PrevHash = head?.Hash ?? last?.Hash ?? AuditHasher.Genesis,
            };
            row.Hash = AuditHasher.Compute(row);
            db.Audit.Add(row);
            if (head is null) db.AuditHead.Add(new AuditHeadRow { Id = 1, Seq = row.Seq, Hash = row.Hash });
            else { head.Seq = row.Seq; head.Hash = row.Hash; }
            await db.SaveChangesAsync(CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
            return row.Seq;
        }
        finally { _gate.Release(); }
    }

    // The store keeps times at 0.1 ms precision; hash exactly what comes back.
    private static DateTimeOffset WholeMilliseconds(DateTimeOffset t)
    {
        var ticks = t.UtcTicks;
        return new DateTimeOffset(ticks - ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }
}
