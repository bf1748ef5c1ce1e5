using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// Appends hash-chained rows. One writer per process: appends queue up and a single loop commits them in
/// batches (group commit), each row linked to the one before it. The head row is updated in the same
/// transaction, so truncating the tail shows up in verify. AppendAsync completes once its row is committed;
/// the request path only enqueues (<see cref="Enqueue"/>) so that a call never waits for the disk, and
/// <see cref="FlushAsync"/> / disposal wait for everything queued.
/// </summary>
internal sealed class AuditLog : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private readonly Channel<(AuditRecord Record, TaskCompletionSource<long> Done)> _queue =
        Channel.CreateUnbounded<(AuditRecord, TaskCompletionSource<long>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly PortalStore _store;
    private readonly TimeProvider _time;
    private readonly Task _writer;

    public AuditLog(PortalStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
        _writer = Task.Run(WriteLoopAsync);
    }

    public void Enqueue(AuditRecord record) => _ = AppendAsync(record);

    /// <summary>Completes when every row queued before this call is committed.</summary>
    public Task FlushAsync() => AppendBarrier();

    private Task AppendBarrier()
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        return _queue.Writer.TryWrite((Barrier, done)) ? done.Task : Task.CompletedTask;
    }

    // A queue entry that writes nothing; its completion marks that all entries before it are committed.
    private static readonly AuditRecord Barrier = new("", "", null, null, null, "", null, 0, null, null, 0, "", "", null);

    public Task<long> AppendAsync(AuditRecord record, CancellationToken ct = default)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((record, done))) done.SetException(new ObjectDisposedException(nameof(AuditLog)));
        return done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<(AuditRecord Record, TaskCompletionSource<long> Done)>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item)) batch.Add(item);
            try
            {
                var seqs = await CommitAsync(batch);
                for (var i = 0; i < batch.Count; i++) batch[i].Done.SetResult(seqs[i]);
            }
            catch (Exception e)
            {
                foreach (var item in batch) item.Done.TrySetException(e);
            }
            batch.Clear();
        }
    }

    private async Task<long[]> CommitAsync(List<(AuditRecord Record, TaskCompletionSource<long> Done)> batch)
    {
        await using var db = _store.Open();
        await using var tx = await db.Database.BeginTransactionAsync();
        var head = await db.AuditHead.FindAsync(1);
        var last = await db.Audit.OrderByDescending(a => a.Seq).Select(a => new { a.Seq, a.Hash }).FirstOrDefaultAsync();
        var seq = Math.Max(last?.Seq ?? 0, head?.Seq ?? 0);
        // Chain to the head, not to whatever row is last now: a deleted tail then breaks the link visibly.
        var prev = head?.Hash ?? last?.Hash ?? AuditHasher.Genesis;
        var seqs = new long[batch.Count];
        var added = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var record = batch[i].Record;
            if (ReferenceEquals(record, Barrier)) { seqs[i] = seq; continue; }
            var row = new AuditRow
            {
                Seq = ++seq,
                Time = WholeMilliseconds(_time.GetUtcNow()),
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
                PrevHash = prev,
            };
            row.Hash = AuditHasher.Compute(row);
            prev = row.Hash;
            seqs[i] = row.Seq;
            db.Audit.Add(row);
            added++;
        }
        if (added == 0) return seqs;
        if (head is null) db.AuditHead.Add(new AuditHeadRow { Id = 1, Seq = seq, Hash = prev });
        else { head.Seq = seq; head.Hash = prev; }
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return seqs;
    }

    // The store keeps times at 0.1 ms precision; hash exactly what comes back.
    private static DateTimeOffset WholeMilliseconds(DateTimeOffset t)
    {
        var ticks = t.UtcTicks;
        return new DateTimeOffset(ticks - ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }
}
