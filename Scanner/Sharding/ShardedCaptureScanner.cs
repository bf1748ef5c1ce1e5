using System.Collections.Concurrent;
using System.Threading.Channels;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Capture;
using ShadowMcp.Scanner.Reassembly;

namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// Scans a capture on several cores with the same results as <see cref="CaptureFileScanner"/>: one reader reads
/// the file once, in order, copies frames into pooled batches and marks each packet with its flow's shard; N
/// workers, each with its own flow table and analyzers, walk every batch; one merger replays what the workers
/// emitted in the order one thread would have emitted it (<see cref="EmissionKey"/>).
/// </summary>
/// <remarks>
/// Identical to one thread as long as no flow or memory limit is reached (each shard has 1/N of the limits) and
/// capture times do not run backwards by more than the idle timeout; anomalies are listed shard by shard.
/// <c>memoryPeakBytes</c> is the same too: the merger sums the shards' flow state after each packet.
/// </remarks>
public sealed class ShardedCaptureScanner
{
    private const int CheckInterval = 1024;
    private const long ProgressInterval = 1 << 20;

    private readonly ReassemblyOptions _reassembly;
    private readonly CaptureReaderOptions _reader;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1, or an option is out of range.</exception>
    public ShardedCaptureScanner(int threads, ReassemblyOptions? reassembly = null, CaptureReaderOptions? reader = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _reassembly = reassembly ?? new ReassemblyOptions();
        _reader = reader ?? new CaptureReaderOptions();
        _reassembly.Validate();
        _reader.Validate();
    }

    /// <summary>Workers (shards) per scan.</summary>
    public int Threads { get; }

    /// <summary>Scans the capture file at <paramref name="path"/>; errors, including a missing file, come back in the result.</summary>
    public ScanResult Scan(string path, ShardPlan plan, ScanStats stats,
        IProgress<(long done, long total)>? progress = null, CancellationToken ct = default)
    {
        if (!CaptureFileOpening.TryOpen(path, stats, out var stream, out var failure)) return failure;
        using (stream) return Scan(stream, path, plan, stats, progress, ct);
    }

    /// <summary>Scans a capture from any readable stream (seekable or not); the stream is not disposed.</summary>
    public ScanResult Scan(Stream stream, string name, ShardPlan plan, ScanStats stats,
        IProgress<(long done, long total)>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(stats);
        stats.Files++;
        var limits = ShardLimits.For(_reassembly, Threads);
        var workers = new ShardWorker[Threads];
        for (var i = 0; i < Threads; i++) workers[i] = new ShardWorker(i, plan, limits);

        using var pool = new PacketBatchPool(PacketBatchPool.SizeFor(Threads), Threads);
        using var abort = new CancellationTokenSource();
        using var ordered = new BlockingCollection<PacketBatch>(new ConcurrentQueue<PacketBatch>());
        var inputs = new Channel<PacketBatch>[Threads];
        var running = new Task[Threads];
        for (var i = 0; i < Threads; i++)
        {
            var input = inputs[i] = Channel.CreateBounded<PacketBatch>(
                new BoundedChannelOptions(pool.Size) { SingleReader = true, SingleWriter = true });
            var worker = workers[i];
            running[i] = Task.Run(async () =>
            {
                await foreach (var batch in input.Reader.ReadAllAsync().ConfigureAwait(false)) worker.Handle(batch);
            }, CancellationToken.None);
        }

        var reading = Task.Factory.StartNew(
            () => new BatchReader(this, stream, name, workers, pool, ordered, inputs).Run(progress, ct, abort.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var merger = new ShardMerger(Threads, plan.Replay);
        (int Shard, Exception Error)? fault = null;
        try
        {
            foreach (var batch in ordered.GetConsumingEnumerable(CancellationToken.None))
            {
                batch.WaitAll();
                for (var s = 0; s < Threads; s++)
                    if (batch.Faults[s] is { } error) fault ??= (s, error);
                merger.Merge(batch);
                pool.Return(batch);
            }
        }
        catch
        {
            // The replay failed: stop the reader, let the workers finish what they hold, then report it.
            abort.Cancel();
            foreach (var batch in ordered.GetConsumingEnumerable(CancellationToken.None))
            {
                batch.WaitAll();
                pool.Return(batch);
            }
            Task.WaitAll(running, CancellationToken.None);
            throw;
        }

        var result = reading.GetAwaiter().GetResult();
        Task.WaitAll(running, CancellationToken.None);
        foreach (var worker in workers) stats.Add(worker.Stats);
        stats.MemoryPeakBytes = Math.Max(stats.MemoryPeakBytes, merger.MemoryPeakBytes);
        if (fault is not { } f) return result;
        var (shard, exception) = f;
        return new ScanResult(name, ScanStatus.Failed, new ScanError(name, null, CaptureErrorKind.WorkerFault,
            $"{name}: scan worker {shard + 1} of {Threads} failed ({exception.GetType().Name}: {exception.Message}); " +
            "the flows it held were dropped, the other workers' results were kept"));
    }

    /// <summary>The reader thread: one sequential pass over the capture, batch by batch.</summary>
    private sealed class BatchReader(ShardedCaptureScanner owner, Stream stream, string name, ShardWorker[] workers,
        PacketBatchPool pool, BlockingCollection<PacketBatch> ordered, Channel<PacketBatch>[] inputs)
    {
        public ScanResult Run(IProgress<(long done, long total)>? progress, CancellationToken ct, CancellationToken abort)
        {
            PacketBatch? batch = null;
            CaptureReader? reader = null;
            try
            {
                batch = pool.Rent(abort);
                reader = CaptureReader.Open(stream, name, owner._reader);
                long total = reader.Length, nextReport = ProgressInterval, sequence = 0;
                int shards = owner.Threads;
                while (reader.TryReadFrame(out var frame))
                {
                    var (shard, ticks) = PacketBatch.Route(frame.Data, frame.LinkType, shards);
                    if (!batch.TryAdd(frame.Data, frame.LinkType, frame.Time, shard, ticks))
                    {
                        Send(batch);
                        batch = null;
                        batch = pool.Rent(abort);
                        batch.FirstSequence = sequence;
                        batch.TryAdd(frame.Data, frame.LinkType, frame.Time, shard, ticks);
                    }
                    if (++sequence % CheckInterval != 0) continue;
                    if (ct.IsCancellationRequested) return new ScanResult(name, ScanStatus.Canceled, null);
                    if (AnyFaulted()) break;
                    if (progress is not null && reader.Position >= nextReport)
                    {
                        progress.Report((reader.Position, total));
                        nextReport = reader.Position + ProgressInterval;
                    }
                }

                progress?.Report((reader.Position, total));
                return new ScanResult(name, ScanStatus.Completed, null);
            }
            catch (CaptureFormatException e)
            {
                return CaptureFileOpening.FormatFailed(name, e);
            }
            catch (IOException e)
            {
                return CaptureFileOpening.ReadFailed(name, reader?.Position, e);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                return new ScanResult(name, ScanStatus.Canceled, null);
            }
            finally
            {
                // Every flow is closed after an error too (the final batch), as in a one-thread scan.
                if (batch is not null)
                {
                    batch.Final = true;
                    Send(batch);
                }
                ordered.CompleteAdding();
                foreach (var input in inputs) input.Writer.Complete();
            }
        }

        private bool AnyFaulted()
        {
            foreach (var worker in workers)
                if (worker.Faulted) return true;
            return false;
        }

        private void Send(PacketBatch batch)
        {
            ordered.Add(batch);
            // Never full: a channel holds at most the pool's batches.
            foreach (var input in inputs)
                if (!input.Writer.TryWrite(batch)) throw new InvalidOperationException("shard input full");
        }
    }
}
