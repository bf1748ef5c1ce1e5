using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Reassembly;

namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// One shard: its own flow table, reassembly and analyzers. Walks every batch in capture order, handling its own
/// packets (decoded once, by the reader) and sweeping idle flows at the others' when their time makes one expire. A fault stops this worker only: it marks each later batch
/// done without touching it, so the reader, the other workers and the merger run to the end.
/// </summary>
internal sealed class ShardWorker
{
    private readonly PacketProcessor _processor;
    private readonly ShardRecorder _recorder;
    private readonly ShardWorkerSetup _setup;
    private volatile bool _faulted;

    public ShardWorker(int shard, ShardPlan plan, ReassemblyOptions options)
    {
        Shard = shard;
        var clock = new EmissionClock();
        _recorder = new ShardRecorder(shard, clock, plan.Prepare, plan.ReplayKeepsObservations);
        _setup = plan.CreateWorker(_recorder);
        _processor = new PacketProcessor(_setup.Factory, Stats, options, clock);
    }

    public int Shard { get; }

    /// <summary>True once a fault stopped this worker; the reader then stops reading.</summary>
    public bool Faulted => _faulted;

    /// <summary>This shard's counters; valid once the final batch is done.</summary>
    public ScanStats Stats { get; } = new();

    public void Handle(PacketBatch batch)
    {
        try
        {
            if (!_faulted) Process(batch);
            else Array.Clear(batch.MemoryAfter[Shard]);
        }
        catch (Exception ex)
        {
            _faulted = true;
            batch.Faults[Shard] = ex;
        }
        finally
        {
            batch.Done();
        }
    }

    private void Process(PacketBatch batch)
    {
        _recorder.Recycle(batch.Replayed[Shard]);
        _recorder.WriteTo(batch.Outputs[Shard]);
        var clock = _recorder.Clock;
        var memory = batch.MemoryAfter[Shard];
        long used = _processor.MemoryUsed, deadline = _processor.IdleDeadlineTicks;
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch.Owners[i] == Shard)
            {
                clock.At(batch.FirstSequence + i);
                _processor.OnDecoded(batch.Frame(i), in batch.Decoded[i], batch.DecodeFaults[i], batch.Times[i]);
                used = _processor.MemoryUsed;
                deadline = _processor.IdleDeadlineTicks;
            }
            // Another shard's packet sweeps idle flows only once its time is past this shard's oldest flow's
            // deadline: before that the sweep closes nothing, so skipping it changes nothing.
            else if (batch.Ticks[i] && batch.Times[i].Ticks > deadline)
            {
                clock.At(batch.FirstSequence + i);
                _processor.Tick(batch.Times[i]);
                used = _processor.MemoryUsed;
                deadline = _processor.IdleDeadlineTicks;
            }
            // Flows age on the capture's clock, the latest time of any shard's packet: keep it as one flow table would.
            else if (batch.Ticks[i]) _processor.Witness(batch.Times[i]);
            if (batch.Ticks[i]) memory[i] = used;
        }

        if (batch.Final)
        {
            clock.At(long.MaxValue);
            _processor.Finish();
        }
        if (batch.Final)
        {
            _setup.AddCounters?.Invoke(Stats);
            _setup.Complete?.Invoke(Stats);
        }
        // A flush point sees the counters a one-thread capture has at its flush, the analyzers' own included.
        if (batch.Mark is not null) batch.StatsAt[Shard] = WithAnalyzerCounters(Stats, added: batch.Final);
    }

    private ScanStats WithAnalyzerCounters(ScanStats stats, bool added)
    {
        var copy = new ScanStats();
        copy.Add(stats);
        if (!added) _setup.AddCounters?.Invoke(copy);
        return copy;
    }
}
