using System.Collections.Concurrent;
using System.Threading.Channels;
using ShadowMcp.Scanner.Capture;

namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// The reader's side of a sharded scan, used by one thread: it decodes each frame once, picks its flow's shard,
/// copies it into the batch being filled and hands full batches to every worker and, in the same order, to the
/// merger. A live capture also hands over a partial batch when nothing more is ready (<see cref="Cut"/>) and at each
/// flush point (<see cref="Mark"/>).
/// </summary>
internal sealed class ShardFeed(int shards, PacketBatchPool pool, BlockingCollection<PacketBatch> ordered,
    Channel<PacketBatch>[] inputs, ShardWorker[] workers, CancellationToken abort) : IFrameSink
{
    private PacketBatch? _batch;
    private bool _finished;

    /// <summary>Frames fed so far: the capture sequence number of the next one.</summary>
    public long Sequence { get; private set; }

    /// <summary>True once a worker failed; the reader should stop reading.</summary>
    public bool Faulted
    {
        get
        {
            foreach (var worker in workers)
                if (worker.Faulted) return true;
            return false;
        }
    }

    /// <summary>
    /// The shard of a frame's flow (0 for a frame that reaches no flow table), from one decode of it, which is kept
    /// for the worker; <paramref name="fault"/> is what decoding threw, if it did.
    /// </summary>
    public static int Route(ReadOnlySpan<byte> frame, int linkType, int shards, out DecodedFrame decoded, out Exception? fault)
    {
        fault = DecodedFrame.Decode(frame, linkType, out decoded, out var packet);
        return decoded.ReachesFlows ? FlowShardHash.ShardOf(packet, shards) : 0;
    }

    /// <exception cref="OperationCanceledException">The scan was aborted while waiting for a free batch.</exception>
    public void OnFrame(ReadOnlySpan<byte> frame, int linkType, DateTime time)
    {
        int owner = Route(frame, linkType, shards, out var decoded, out var fault);
        var batch = _batch ??= Rent();
        if (!batch.TryAdd(frame, linkType, time, owner, decoded, fault))
        {
            Send();
            (_batch = Rent()).TryAdd(frame, linkType, time, owner, decoded, fault);
        }
        Sequence++;
    }

    /// <summary>Hands the partial batch over now (a live capture with nothing more ready), so no packet waits for more.</summary>
    public void Cut()
    {
        if (_batch is { Count: > 0 }) Send();
    }

    /// <summary>
    /// A flush point after every frame fed so far: the merger hands <paramref name="mark"/> on once it has replayed
    /// them all, with each worker's counters as of this point.
    /// </summary>
    public void Mark(object mark)
    {
        var batch = _batch ??= Rent();
        batch.Mark = mark;
        Send();
    }

    /// <summary>
    /// The end of input: workers close every flow after what was fed (with <paramref name="mark"/>, the last flush
    /// point). Then no more batches come. Does nothing more once the scan was aborted.
    /// </summary>
    public void Finish(object? mark = null)
    {
        if (_finished) return;
        _finished = true;
        try
        {
            if (_batch is null && !abort.IsCancellationRequested)
            {
                try
                {
                    _batch = Rent();
                }
                catch (OperationCanceledException)
                {
                    // Aborted while waiting: the merger drains what was sent and reports why.
                }
            }
            if (_batch is { } batch)
            {
                batch.Final = true;
                batch.Mark = mark;
                Send();
            }
        }
        finally
        {
            ordered.CompleteAdding();
            foreach (var input in inputs) input.Writer.Complete();
        }
    }

    private PacketBatch Rent()
    {
        var batch = pool.Rent(abort);
        batch.FirstSequence = Sequence;
        return batch;
    }

    private void Send()
    {
        var batch = _batch!;
        _batch = null;
        ordered.Add(batch);
        // Never full: a channel holds at most the pool's batches.
        foreach (var input in inputs)
            if (!input.Writer.TryWrite(batch)) throw new InvalidOperationException("shard input full");
    }
}
