using System.Threading.Channels;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// Appends hash-chained rows. One writer per process: appends queue up and a single loop commits them in
/// batches (group commit), each row linked to the one before it. The head row is updated in the same
/// transaction, so truncating the tail shows up in verify. AppendAsync completes once its row is committed;
/// the request path only waits for room in the queue (<see cref="EnqueueAsync"/>), not for the disk, and
/// <see cref="FlushAsync"/> / disposal wait for everything queued. Portal replicas sharing a PostgreSQL store
/// write one chain: their batches take turns (<see cref="AuditWriterLock"/>).
/// </summary>
/// <remarks>
/// The queue is bounded (portal.audit.queueLimit): a log that fell behind its calls without limit would hold
/// them in memory, and lose them all to a crash. When it is full, appends wait for room, so calls slow to the
/// rate the store commits at; no row is dropped. Appends that waited are reported to <see cref="AuditQueueWaits"/>.
/// </remarks>
internal sealed class AuditLog : IAsyncDisposable
{
    public const int DefaultQueueLimit = 10_000;
    private const int MaxBatch = 256;
    private readonly Channel<(AuditRecord Record, TaskCompletionSource<long> Done)> _queue;
    private readonly PortalStore _store;
    private readonly TimeProvider _time;
    private readonly AuditQueueWaits? _waits;
    private readonly Task _writer;

    private readonly byte[]? _key;
    private readonly string? _replica;

    /// <summary>A log whose rows are unkeyed (SHA-256), as before the HMAC key; for tools and old stores.</summary>
    public AuditLog(PortalStore store, TimeProvider time) : this(store, time, null) { }

    /// <param name="key">HMAC key for row hashes; rows written with it can only be re-forged by someone holding it.</param>
    public AuditLog(PortalStore store, TimeProvider time, byte[]? key) : this(store, time, key, null) { }

    /// <param name="replica">The replica id stamped on every row (portal replicas sharing a store), or null.</param>
    /// <param name="queueLimit">Rows that may wait for the writer; appends beyond it wait for room.</param>
    /// <param name="waits">Told about every append that had to wait, or null.</param>
    public AuditLog(PortalStore store, TimeProvider time, byte[]? key, string? replica,
        int queueLimit = DefaultQueueLimit, AuditQueueWaits? waits = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queueLimit);
        _queue = Channel.CreateBounded<(AuditRecord, TaskCompletionSource<long>)>(new BoundedChannelOptions(queueLimit)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _store = store;
        _time = time;
        _key = key;
        _replica = replica;
        _waits = waits;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Rows queued and not yet taken by the writer (appends waiting for room not included).</summary>
    public int Queued => _queue.Reader.Count;

    private int _waiting;

    /// <summary>Calls waiting for room in the full queue now (<see cref="EnqueueAsync"/>).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>
    /// Queues a row without waiting, for writers that have no caller to slow down (rate-limited summaries). When the
    /// queue is full the row still keeps its place in line and is written once there is room.
    /// </summary>
    public void Enqueue(AuditRecord record)
    {
        var item = (record, NewDone());
        if (!_queue.Writer.TryWrite(item)) _ = WriteWhenRoomAsync(item);
    }

    /// <summary>
    /// Queues a row, waiting while the queue is full: the call path's backpressure. Completes with true once the row
    /// is queued; with false when <paramref name="ct"/> fires first: the caller stops waiting, but its row keeps its
    /// place in line and is still written (an audit row is never dropped for a caller who went away).
    /// </summary>
    public async ValueTask<bool> EnqueueAsync(AuditRecord record, CancellationToken ct)
    {
        var item = (record, NewDone());
        if (_queue.Writer.TryWrite(item)) return true;
        var started = _time.GetTimestamp();
        var queued = true;
        Interlocked.Increment(ref _waiting);
        try
        {
            await WriteWhenRoomAsync(item).WaitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            queued = false;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        _waits?.Waited(_time.GetElapsedTime(started), abandoned: !queued);
        return queued;
    }

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

    // Behind every row queued or waiting for room before it (waiting appends are let in first come, first served).
    private async Task AppendBarrier()
    {
        var item = (Barrier, NewDone());
        if (!_queue.Writer.TryWrite(item)) await WriteWhenRoomAsync(item);
        try
        {
            await item.Item2.Task;
        }
        catch (ObjectDisposedException)
        {
            // Closed: nothing more will be written, so nothing is left to wait for.
        }
    }

    // A queue entry that writes nothing; its completion marks that all entries before it are committed.
    private static readonly AuditRecord Barrier = new("", "", null, null, null, "", null, 0, null, null, 0, "", "", null);

    /// <summary>Queues a row (waiting for room like <see cref="EnqueueAsync"/>) and completes when it is committed.</summary>
    public async Task<long> AppendAsync(AuditRecord record, CancellationToken ct = default)
    {
        var item = (record, NewDone());
        if (!_queue.Writer.TryWrite(item)) await WriteWhenRoomAsync(item).WaitAsync(ct);
        return await item.Item2.Task.WaitAsync(ct);
    }

    private static TaskCompletionSource<long> NewDone() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Never throws: a log closed while the row waited fails the row's own completion instead.
    private async Task WriteWhenRoomAsync((AuditRecord Record, TaskCompletionSource<long> Done) item)
    {
        try
        {
            await _queue.Writer.WriteAsync(item);
        }
        catch (ChannelClosedException)
        {
            item.Done.TrySetException(new ObjectDisposedException(nameof(AuditLog)));
        }
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

    // Raw ADO.NET on one long-lived connection with its statements made once (<see cref="AuditStatements"/>): this
    // runs for every request, and EF's per-context cost would dominate a batch of one.
    private async Task<long[]> CommitAsync(List<(AuditRecord Record, TaskCompletionSource<long> Done)> batch)
    {
        var seqs = new long[batch.Count];
        if (batch.All(b => ReferenceEquals(b.Record, Barrier))) return seqs;
        var db = _db ??= await AuditStatements.OpenAsync(_store);
        await using var tx = await db.BeginAsync();
        var (headSeq, headHash, lastSeq, lastHash) = await db.ReadEndAsync();
        var seq = Math.Max(lastSeq, headSeq);
        // Chain to the head, not to whatever row is last now: a deleted tail then breaks the link visibly.
        var prev = headHash ?? lastHash ?? AuditHasher.Genesis;

        var rows = new List<AuditRow>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var record = batch[i].Record;
            if (ReferenceEquals(record, Barrier)) { seqs[i] = seq; continue; }
            var row = Row(record, ++seq, prev);
            prev = row.Hash;
            seqs[i] = row.Seq;
            rows.Add(row);
        }
        await db.WriteAsync(rows, seq, prev);
        await tx.CommitAsync();
        return seqs;
    }

    private AuditRow Row(AuditRecord record, long seq, string prev)
    {
        var row = new AuditRow
        {
            Seq = seq,
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
        return row;
    }

    // The store keeps times at 0.1 ms precision; hash exactly what comes back.
    private static DateTimeOffset WholeMilliseconds(DateTimeOffset t)
    {
        var ticks = t.UtcTicks;
        return new DateTimeOffset(ticks - ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }

    public async ValueTask DisposeAsync()
    {
        // Everything queued or waiting for room goes in before the queue closes. A batch that failed has already
        // failed its rows' appends; closing goes on.
        try
        {
            await FlushAsync();
        }
        catch (Exception)
        {
        }
        _queue.Writer.TryComplete();
        await _writer;
        if (_db is { } db) await db.DisposeAsync();
    }
}
