using System.Collections.Concurrent;
using System.Threading.Channels;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Reassembly;

namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// The one sharding machinery behind files (<see cref="ShardedCaptureScanner"/>) and live capture
/// (<see cref="Live.ShardedLiveCapture"/>): one reader thread feeds frames in capture order (<see cref="ShardFeed"/>),
/// N workers (<see cref="ShardWorker"/>) each run their own flow table and analyzers over every batch, and the
/// calling thread merges what they emitted in one-thread order (<see cref="ShardMerger"/>).
/// </summary>
internal static class ShardPipeline
{
    /// <summary>A worker that failed, and why.</summary>
    public readonly record struct Fault(int Shard, Exception Error);

    /// <summary>
    /// Runs <paramref name="read"/> on a reader thread of its own and merges on the calling thread until the reader
    /// finished (<see cref="ShardFeed.Finish"/> is called for it if it did not). <paramref name="onMark"/> runs on the
    /// calling thread for each <see cref="ShardFeed.Mark"/>, after everything fed before it was replayed, with the
    /// workers' counters as of that point. The workers' final counters are added to <paramref name="stats"/>.
    /// <paramref name="stopReading"/> is cancelled when a worker fails or the merge throws: the reader should stop.
    /// </summary>
    /// <returns>What the reader returned, and the first worker fault, if any.</returns>
    /// <exception cref="Exception">What the replay or <paramref name="onMark"/> threw, after the workers drained; else what the reader threw.</exception>
    public static (T Result, Fault? Fault) Run<T>(int threads, ShardPlan plan, ReassemblyOptions limits, ScanStats stats,
        Func<ShardFeed, CancellationToken, T> read, Action<object, ScanStats>? onMark = null)
    {
        var workers = new ShardWorker[threads];
        for (var i = 0; i < threads; i++) workers[i] = new ShardWorker(i, plan, limits);

        using var pool = new PacketBatchPool(PacketBatchPool.SizeFor(threads), threads);
        using var abort = new CancellationTokenSource();
        using var stopReading = new CancellationTokenSource();
        using var ordered = new BlockingCollection<PacketBatch>(new ConcurrentQueue<PacketBatch>());
        var inputs = new Channel<PacketBatch>[threads];
        var running = new Task[threads];
        for (var i = 0; i < threads; i++)
        {
            var input = inputs[i] = Channel.CreateBounded<PacketBatch>(
                new BoundedChannelOptions(pool.Size) { SingleReader = true, SingleWriter = true });
            var worker = workers[i];
            running[i] = Task.Run(async () =>
            {
                await foreach (var batch in input.Reader.ReadAllAsync().ConfigureAwait(false)) worker.Handle(batch);
            }, CancellationToken.None);
        }

        var feed = new ShardFeed(threads, pool, ordered, inputs, workers, abort.Token);
        var stopToken = stopReading.Token;
        var reading = Task.Factory.StartNew(() =>
        {
            try
            {
                return read(feed, stopToken);
            }
            finally
            {
                // Every flow is closed after an error too (the final batch), as in a one-thread scan.
                feed.Finish();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var merger = new ShardMerger(threads, plan.Replay);
        Fault? fault = null;
        try
        {
            foreach (var batch in ordered.GetConsumingEnumerable(CancellationToken.None))
            {
                batch.WaitAll();
                for (var s = 0; s < threads; s++)
                {
                    if (batch.Faults[s] is not { } error || fault is not null) continue;
                    fault = new Fault(s, error);
                    stopReading.Cancel();
                }
                merger.Merge(batch);
                if (batch.Mark is { } mark && onMark is not null) onMark(mark, CountersAt(batch, merger));
                pool.Return(batch);
            }
        }
        catch
        {
            // The replay failed: stop the reader, let the workers finish what they hold, then report it.
            abort.Cancel();
            stopReading.Cancel();
            foreach (var batch in ordered.GetConsumingEnumerable(CancellationToken.None))
            {
                batch.WaitAll();
                pool.Return(batch);
            }
            Task.WaitAll(running, CancellationToken.None);
            throw;
        }

        Task.WaitAll(running, CancellationToken.None);
        var result = reading.GetAwaiter().GetResult();
        foreach (var worker in workers) stats.Add(worker.Stats);
        stats.MemoryPeakBytes = Math.Max(stats.MemoryPeakBytes, merger.MemoryPeakBytes);
        return (result, fault);
    }

    /// <summary>The workers' counters together as of a marked batch; the memory peak is the merged one.</summary>
    private static ScanStats CountersAt(PacketBatch batch, ShardMerger merger)
    {
        var total = new ScanStats();
        foreach (var shard in batch.StatsAt)
            if (shard is not null) total.Add(shard);
        total.MemoryPeakBytes = Math.Max(total.MemoryPeakBytes, merger.MemoryPeakBytes);
        return total;
    }
}
