using System.Threading.Channels;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// Appends hash-chained rows. One writer per process: appends queue up and a single loop commits them in
/// batches (group commit), each row linked to the one before it. The head row is updated in the same
/// transaction, so truncating the tail shows up in verify. AppendAsync completes once its row is committed;
/// the request path only enqueues (<see cref="Enqueue"/>) so that a call never waits for the disk, and
/// <see cref="FlushAsync"/> / disposal wait for everything queued. Portal replicas sharing a PostgreSQL store
/// write one chain: their batches take turns (<see cref="AuditWriterLock"/>).
/// </summary>
internal sealed class AuditLog : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private readonly Channel<(AuditRecord Record, TaskCompletionSource<long> Done)> _queue =
        Channel.CreateUnbounded<(AuditRecord, TaskCompletionSource<long>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly PortalStore _store;
    private readonly TimeProvider _time;
    private readonly Task _writer;

    private readonly byte[]? _key;
    private readonly string? _replica;

    /// <summary>A log whose rows are unkeyed (SHA-256), as before the HMAC key; for tools and old stores.</summary>
    public AuditLog(PortalStore store, TimeProvider time) : this(store, time, null) { }

    /// <param name="key">HMAC key for row hashes; rows written with it can only be re-forged by someone holding it.</param>
    public AuditLog(PortalStore store, TimeProvider time, byte[]? key) : this(store, time, key, null) { }

    /// <param name="replica">The replica id stamped on every row (portal replicas sharing a store), or null.</param>
    public AuditLog(PortalStore store, TimeProvider time, byte[]? key, string? replica)
    {
        _store = store;
        _time = time;
        _key = key;
        _replica = replica;
        _writer = Task.Run(WriteLoopAsync);
    }

    public void Enqueue(AuditRecord record) => _ = AppendAsync(record);

    /// <summary>Completes when every row queued before this call is committed (summaries pending now included).</summary>
    public Task FlushAsync()
    {
        WritePendingSummaries();
        return AppendBarrier();
    }

    private readonly List<Action> _flushSources = [];

    /// <summary>
    /// Registers something that keeps counts in memory and writes them as rows now and then (the tally of
    /// unauthenticated requests); a flush, and shutdown, write them first.
    /// </summary>
    public void AddFlushSource(Action writePending)
    {
        lock (_flushSources) _flushSources.Add(writePending);
    }

    private void WritePendingSummaries()
    {
        Action[] sources;
        lock (_flushSources) sources = [.. _flushSources];
        foreach (var write in sources) write();
    }

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
                // Drop the connection so the next batch starts clean (e.g. after the file was replaced).
                if (_db is { } broken) { _db = null; await broken.DisposeAsync(); }
                foreach (var item in batch) item.Done.TrySetException(e);
            }
            batch.Clear();
        }
    }

    private AuditStatements? _db;
    private static readonly DateTimeOffsetToBinaryConverter TimeColumn = new();

    // Raw ADO.NET on one long-lived connection with its statements prepared once: this runs for every request,
    // and EF's per-context cost (or re-preparing SQL per batch) would dominate a batch of one. Column names and
    // the time encoding are the ones PortalDbContext maps.
    private async Task<long[]> CommitAsync(List<(AuditRecord Record, TaskCompletionSource<long> Done)> batch)
    {
        var seqs = new long[batch.Count];
        if (batch.All(b => ReferenceEquals(b.Record, Barrier))) return seqs;
        var db = _db ??= await AuditStatements.OpenAsync(_store);
        await using var tx = await db.BeginAsync();
        long headSeq = 0, lastSeq = 0;
        string? headHash = null, lastHash = null;
        await using (var r = await db.SelectHead.ExecuteReaderAsync())
            if (await r.ReadAsync()) { headSeq = r.GetInt64(0); headHash = r.GetString(1); }
        await using (var r = await db.SelectLast.ExecuteReaderAsync())
            if (await r.ReadAsync()) { lastSeq = r.GetInt64(0); lastHash = r.GetString(1); }
        var seq = Math.Max(lastSeq, headSeq);
        // Chain to the head, not to whatever row is last now: a deleted tail then breaks the link visibly.
        var prev = headHash ?? lastHash ?? AuditHasher.Genesis;

        var p = db.Insert.Parameters;
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
                ExecutionId = record.ExecutionId,
                Replica = _replica,
                PrevHash = prev,
                HashKind = _key is null ? null : AuditHasher.Keyed,
            };
            row.Hash = _key is null ? AuditHasher.Compute(row) : AuditHasher.Compute(row, _key);
            prev = row.Hash;
            seqs[i] = row.Seq;
            p[0].Value = row.Seq;
            p[1].Value = TimeColumn.ConvertToProvider(row.Time);
            p[2].Value = row.User;
            p[3].Value = row.Group;
            p[4].Value = (object?)row.ClientName ?? DBNull.Value;
            p[5].Value = (object?)row.ClientVersion ?? DBNull.Value;
            p[6].Value = (object?)row.Server ?? DBNull.Value;
            p[7].Value = row.Method;
            p[8].Value = (object?)row.Tool ?? DBNull.Value;
            p[9].Value = row.ArgumentBytes;
            p[10].Value = (object?)row.ArgumentHash ?? DBNull.Value;
            p[11].Value = (object?)row.Arguments ?? DBNull.Value;
            p[12].Value = row.DurationMs;
            p[13].Value = row.Outcome;
            p[14].Value = row.Decision;
            p[15].Value = (object?)row.DlpHits ?? DBNull.Value;
            p[16].Value = (object?)row.ExecutionId ?? DBNull.Value;
            p[17].Value = row.PrevHash;
            p[18].Value = row.Hash;
            p[19].Value = (object?)row.HashKind ?? DBNull.Value;
            p[20].Value = (object?)row.Replica ?? DBNull.Value;
            await db.Insert.ExecuteNonQueryAsync();
        }
        db.UpsertHead.Parameters[0].Value = seq;
        db.UpsertHead.Parameters[1].Value = prev;
        await db.UpsertHead.ExecuteNonQueryAsync();
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
        WritePendingSummaries();
        _queue.Writer.TryComplete();
        await _writer;
        if (_db is { } db) await db.DisposeAsync();
    }
}
