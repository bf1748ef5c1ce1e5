using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// Appends hash-chained rows. One writer per process: appends queue up and a single loop commits them in
/// batches (group commit), each row linked to the one before it. The head row is updated in the same
/// transaction, so truncating the tail shows up in verify. AppendAsync completes once its row is committed;
/// the request path only waits for room (<see cref="AdmitAsync"/>, <see cref="EnqueueAsync"/>), not for the disk,
/// and <see cref="FlushAsync"/> / disposal wait for everything queued. Portal replicas sharing a PostgreSQL store
/// write one chain: their batches take turns (<see cref="AuditWriterLock"/>).
/// </summary>
/// <remarks>
/// <para>The log holds at most portal.audit.queueLimit rows in memory, from the moment a row is queued until its batch
/// is committed, whoever queued it: a log that fell behind without limit would hold rows in memory and lose them all
/// to a crash. A call passes <see cref="AdmitAsync"/> before it runs, which waits while the log is full (calls slow to
/// the rate the store commits at; a caller cancelled there never ran, and is counted in a summary row); a call that
/// ran waits for room for its row however long it takes, cancelled or not, so no row waits outside the bound.
/// Writers with no caller to slow (summaries) use <see cref="TryEnqueue"/> and keep their counts when it is full.</para>
/// <para>A batch the store refuses (down, locked, a constraint) is kept and retried with back-off, in order, before
/// anything after it; meanwhile new calls are refused (default deny, <see cref="AuditUnavailableException"/>). A
/// commit whose answer was lost is recognised by its last row, so a retry never writes a row twice. Only when the
/// log is closed with the store still failing are the rows left written to a fallback file beside the store, and
/// that is logged as critical; `audit import` (<see cref="AuditImporter"/>) puts them into the chain later. Replicas
/// sharing the file write one batch at a time under its lock (<see cref="AuditSpillWriter"/>).</para>
/// </remarks>
internal sealed class AuditLog : IAsyncDisposable
{
    public const int DefaultQueueLimit = 10_000;
    /// <summary>The file that receives rows the store would not take before the log closed (JSON lines).</summary>
    public const string FallbackFileName = "portal-audit-unwritten.jsonl";
    private const int MaxBatch = 256;
    private const int AttemptsWhenClosing = 3;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);
    // Not SingleReader: that channel cannot count its items, and Queued is a metric.
    private readonly Channel<Entry> _queue = Channel.CreateUnbounded<Entry>();
    // One unit per row held, from queueing until its batch is committed (barriers take one too, to keep their turn).
    private readonly AuditRoom _room;
    private readonly PortalStore _store;
    private readonly TimeProvider _time;
    private readonly AuditQueueWaits? _waits;
    private readonly AuditStoreFailures _failures;
    private readonly AuditTurnedAway _turnedAway = new();
    private readonly Task _writer;
    // Cancelled while the store fails, so calls waiting at the door are refused at once; replaced on recovery.
    private CancellationTokenSource _outage = new();
    private volatile bool _closing;
    private bool _spilling;

    private readonly byte[]? _key;
    private readonly string? _replica;
    private readonly string _fallbackFile;

    // At: when the row was handed in, the time a row spilled to the fallback file keeps (its call's, not the shutdown's).
    private readonly record struct Entry(AuditRecord Record, TaskCompletionSource<long> Done, DateTimeOffset At);

    /// <summary>A log whose rows are unkeyed (SHA-256), as before the HMAC key; for tools and old stores.</summary>
    public AuditLog(PortalStore store, TimeProvider time) : this(store, time, null) { }

    /// <param name="key">HMAC key for row hashes; rows written with it can only be re-forged by someone holding it.</param>
    public AuditLog(PortalStore store, TimeProvider time, byte[]? key) : this(store, time, key, null) { }

    /// <param name="replica">The replica id stamped on every row (portal replicas sharing a store), or null.</param>
    /// <param name="queueLimit">Rows the log may hold in memory; beyond it, calls wait for room.</param>
    /// <param name="waits">Told about every wait for room, or null.</param>
    /// <param name="logger">Where store failures, recoveries and fallback writes are reported.</param>
    /// <param name="fallbackFile">Where rows go when the log closes with the store failing (default:
    /// <see cref="FallbackFileName"/> in the store's key folder).</param>
    public AuditLog(PortalStore store, TimeProvider time, byte[]? key, string? replica,
        int queueLimit = DefaultQueueLimit, AuditQueueWaits? waits = null, ILogger? logger = null, string? fallbackFile = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queueLimit);
        _room = new AuditRoom(queueLimit);
        _store = store;
        _time = time;
        _key = key;
        _replica = replica;
        _waits = waits;
        _fallbackFile = fallbackFile ?? Path.Combine(store.KeyDirectory, FallbackFileName);
        _failures = new AuditStoreFailures(logger ?? NullLogger.Instance, time);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Rows queued and not yet taken by the writer.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Calls waiting for room now (at <see cref="AdmitAsync"/> or for their row).</summary>
    public int Waiting => _room.Waiting;

    /// <summary>True while the store refuses the batch being written (it is retried; new calls are refused).</summary>
    public bool StoreFailing => _failures.Attempts > 0;

    /// <summary>
    /// Before a call runs: returns once the log has room for rows, waiting while it is full. A call must not run when
    /// its row could not be kept, so this refuses at once while the store fails, and a caller cancelled while waiting
    /// did not run; both are counted in a summary row written once the log takes rows again.
    /// </summary>
    /// <exception cref="AuditUnavailableException">The store cannot be written now.</exception>
    public async ValueTask AdmitAsync(CancellationToken ct)
    {
        if (StoreFailing) throw TurnedAway();
        if (_room.HasRoom) return; // the common case, without a linked token per call
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, Volatile.Read(ref _outage).Token);
        try
        {
            // Only a turn is waited for; the call's row takes its own room when the call ends.
            await WaitAsync(null, either.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw TurnedAway();
        }
        catch (OperationCanceledException)
        {
            _turnedAway.Count(AuditTurnedAway.CancelledWaiting);
            throw;
        }
    }

    private AuditUnavailableException TurnedAway()
    {
        _turnedAway.Count(AuditTurnedAway.StoreDown);
        return new AuditUnavailableException();
    }

    /// <summary>
    /// Queues a row if the log has room now, for writers that have no caller to slow down (summaries of counts).
    /// False when it is full: the writer keeps what the row would say and offers it again later.
    /// </summary>
    public bool TryEnqueue(AuditRecord record)
    {
        var item = new Entry(record, NewDone(), _time.GetUtcNow());
        return _room.TryTake(() => Put(item));
    }

    /// <summary>
    /// Queues the row of a call that ran, waiting for room as long as it takes: the caller going away does not end
    /// the wait, because the row must be kept and the bound must hold (<see cref="AdmitAsync"/> keeps new calls from
    /// running meanwhile).
    /// </summary>
    public Task EnqueueAsync(AuditRecord record) => QueueAsync(record, measured: true);

    // A call's row is measured when it waits (it slows the call); the log's own summaries are not calls.
    private Task QueueAsync(AuditRecord record, bool measured)
    {
        var item = new Entry(record, NewDone(), _time.GetUtcNow());
        return WaitAsync(() => Put(item), CancellationToken.None, measured);
    }

    /// <summary>Completes when every row queued before this call is committed (summaries pending now included).</summary>
    public async Task FlushAsync()
    {
        WritePendingSummaries();
        // Calls turned away are summed by this log itself: a flush can wait for room for them.
        foreach (var summary in _turnedAway.Take()) await QueueAsync(summary, measured: false);
        await AppendBarrier();
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

    // Behind every row queued or waiting for room before it (waiters for room are let in first come, first served).
    private async Task AppendBarrier()
    {
        var item = new Entry(Barrier, NewDone(), _time.GetUtcNow());
        if (_room.TakeOrWait(() => Put(item), CancellationToken.None) is { } wait) await wait;
        try
        {
            await item.Done.Task;
        }
        catch (ObjectDisposedException)
        {
            // Closed: nothing more will be written, so nothing is left to wait for.
        }
    }

    // A queue entry that writes nothing; its completion marks that all entries before it are committed.
    private static readonly AuditRecord Barrier = new("", "", null, null, null, "", null, 0, null, null, 0, "", "", null);

    /// <summary>Queues a row (waiting for room) and completes when it is committed.</summary>
    /// <param name="ct">Ends the waits; cancelled before the row had room, the row is not queued (and this throws).</param>
    public async Task<long> AppendAsync(AuditRecord record, CancellationToken ct = default)
    {
        var item = new Entry(record, NewDone(), _time.GetUtcNow());
        await WaitAsync(() => Put(item), ct);
        return await item.Done.Task.WaitAsync(ct);
    }

    private static TaskCompletionSource<long> NewDone() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Room for a row (put in line once it has it) or, with null, a turn; measured when it had to wait.
    private async Task WaitAsync(Action? put, CancellationToken ct, bool measured = true)
    {
        if (_room.TakeOrWait(put, ct) is not { } wait) return;
        if (!measured)
        {
            await wait;
            return;
        }
        var started = _time.GetTimestamp();
        var cancelled = false;
        try
        {
            await wait;
        }
        catch (OperationCanceledException)
        {
            cancelled = true;
            throw;
        }
        finally
        {
            _waits?.Waited(_time.GetElapsedTime(started), cancelled);
        }
    }

    // With its room taken, in turn. A log closed meanwhile fails the row's own completion instead.
    private void Put(Entry item)
    {
        if (!_queue.Writer.TryWrite(item)) item.Done.TrySetException(new ObjectDisposedException(nameof(AuditLog)));
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Entry>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item)) batch.Add(item);
            await WriteWithRetriesAsync(batch);
            _room.Release(batch.Count);
            batch.Clear();
        }
    }

    // The batch stays first in line until the store takes it: nothing after it is written before it, nothing dropped.
    private async Task WriteWithRetriesAsync(List<Entry> batch)
    {
        var failedWhileClosing = 0;
        for (var attempt = 1; ; attempt++)
        {
            if (_spilling)
            {
                await SpillAsync(batch);
                return;
            }
            try
            {
                var seqs = await CommitAsync(batch);
                // Recovered before the waiters go on: one that finds its row written must also find the log open again.
                if (StoreFailing) Recovered();
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(seqs[i]);
                return;
            }
            catch (Exception e)
            {
                // Drop the connection so the next attempt starts clean (e.g. after the server restarted).
                if (_db is { } broken)
                {
                    _db = null;
                    try { await broken.DisposeAsync(); }
                    catch (Exception) { /* already broken */ }
                }
                _failures.Failed(e, batch.Count, Queued);
                var outage = Volatile.Read(ref _outage);
                if (!outage.IsCancellationRequested) _ = outage.CancelAsync();
                if (_closing && ++failedWhileClosing >= AttemptsWhenClosing)
                {
                    _spilling = true;
                    continue;
                }
                var wait = TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Min(attempt - 1, 10)));
                await Task.Delay(_closing ? TimeSpan.FromTicks(Math.Min(wait.Ticks, FirstRetry.Ticks * 5)) : wait, _time);
            }
        }
    }

    private void Recovered()
    {
        _failures.Recovered();
        Volatile.Write(ref _outage, new CancellationTokenSource());
        foreach (var summary in _turnedAway.Take()) _ = QueueAsync(summary, measured: false);
    }

    // Closing with the store still failing: the rows go to a file beside the store, in order, rather than nowhere.
    private async Task SpillAsync(List<Entry> batch)
    {
        // The batch whose commit got no answer may be in the chain: its lines say where, and the import looks there.
        var tried = _unconfirmed is { } u && u.Seqs.Length == batch.Count ? u : null;
        _unconfirmed = null;
        var path = _fallbackFile;
        var rows = new List<SpilledRow>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var row = batch[i];
            if (ReferenceEquals(row.Record, Barrier)) continue;
            var mark = tried is { } t ? new SpilledCommit(t.Seqs[i], t.HeadSeq, t.Head) : null;
            rows.Add(new SpilledRow(AuditLink.WholeMilliseconds(row.At), _replica, row.Record, mark));
        }
        var written = rows.Count == 0 || await TrySpillAsync(path, rows, tried is null ? 0 : rows.Count);
        foreach (var entry in batch)
        {
            if (ReferenceEquals(entry.Record, Barrier)) entry.Done.TrySetResult(0);
            else entry.Done.TrySetException(new AuditUnavailableException(written
                ? $"The audit store failed; the row was written to {path}"
                : $"The audit store failed and the row could not be written to {path} either"));
        }
    }

    // Another replica (or an import) holding the file waits this one's shutdown, never longer than the budget: the
    // closing log's wait for the lock, over all its batches. Calls are refused meanwhile, as while the store fails.
    private async Task<bool> TrySpillAsync(string path, List<SpilledRow> rows, int unconfirmed)
    {
        _spillBudgetFrom ??= _time.GetTimestamp();
        var left = SpillLockWait - _time.GetElapsedTime(_spillBudgetFrom.Value);
        try
        {
            await AuditSpillWriter.AppendAsync(path, rows, left > TimeSpan.Zero ? left : TimeSpan.Zero, _time);
            _failures.Spilled(rows.Count, path, unconfirmed);
            return true;
        }
        catch (Exception e)
        {
            // Nowhere left to keep them: said as loudly as the log can, with the count, so the loss is known. Any
            // error ends here: thrown on, it would stop the writer with the batch's waiters (and the close) unanswered.
            _failures.SpillFailed(e, rows.Count, path);
            return false;
        }
    }

    /// <summary>How long a closing log waits, over all its batches, for the fallback file's lock (<see cref="AuditSpillLock"/>)
    /// while another replica or an import holds it; after that its rows are reported lost.</summary>
    internal TimeSpan SpillLockWait { get; init; } = TimeSpan.FromSeconds(10);

    private long? _spillBudgetFrom;

    private AuditStatements? _db;

    // Raw ADO.NET on one long-lived connection with its statements made once (<see cref="AuditStatements"/>): this
    // runs for every request, and EF's per-context cost would dominate a batch of one.
    private async Task<long[]> CommitAsync(List<Entry> batch)
    {
        var seqs = new long[batch.Count];
        if (batch.All(b => ReferenceEquals(b.Record, Barrier))) return seqs;
        var db = _db ??= await AuditStatements.OpenAsync(_store);
        await using var tx = await db.BeginAsync();
        var (headSeq, headHash, lastSeq, lastHash) = await db.ReadEndAsync();
        if (_unconfirmed is { } tried)
        {
            // The last attempt's commit failed without an answer: it did commit if its last row is in the chain. The
            // head may have moved on since (another replica's batch). Kept until known, so a spill can still mark it.
            if (headHash == tried.Head || await db.HoldsRowAsync(tried.HeadSeq, tried.Head))
            {
                _unconfirmed = null;
                return tried.Seqs;
            }
            _unconfirmed = null;
        }
        var seq = Math.Max(lastSeq, headSeq);
        // Chain to the head, not to whatever row is last now: a deleted tail then breaks the link visibly.
        var prev = headHash ?? lastHash ?? AuditHasher.Genesis;

        var rows = new List<AuditRow>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var record = batch[i].Record;
            if (ReferenceEquals(record, Barrier)) { seqs[i] = seq; continue; }
            var row = AuditLink.Row(record, ++seq, prev, _time.GetUtcNow(), _replica, _key);
            prev = row.Hash;
            seqs[i] = row.Seq;
            rows.Add(row);
        }
        await db.WriteAsync(rows, seq, prev);
        _unconfirmed = rows.Count > 0 ? new UnconfirmedBatch(seqs, seq, prev) : null;
        await (CommitForTests?.Invoke(tx) ?? tx.CommitAsync());
        _unconfirmed = null;
        return seqs;
    }

    /// <summary>
    /// Tests only: commits a batch's transaction in place of the store's own commit, to lose the commit or its answer
    /// as a cut connection would. SQLite runs in-process and cannot lose a commit's answer otherwise; the PostgreSQL
    /// tests cut a real connection instead.
    /// </summary>
    internal Func<DbTransaction, Task>? CommitForTests { get; set; }

    // The batch whose commit was sent last without an answer yet: its seqs (one per entry) and the head it leaves.
    private UnconfirmedBatch? _unconfirmed;

    private sealed record UnconfirmedBatch(long[] Seqs, long HeadSeq, string Head);

    public async ValueTask DisposeAsync()
    {
        // Everything queued or waiting for room goes in before the queue closes; with the store still failing, a few
        // more attempts and then the fallback file (see WriteWithRetriesAsync). A second flush writes the summaries
        // that found the log full at the first.
        _closing = true;
        for (var pass = 0; pass < 2; pass++)
        {
            try
            {
                await FlushAsync();
            }
            catch (Exception)
            {
            }
        }
        _queue.Writer.TryComplete();
        await _writer;
        if (_db is { } db) await db.DisposeAsync();
    }
}
