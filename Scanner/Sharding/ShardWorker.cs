using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Reassembly;

namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// One shard: its own flow table, reassembly and analyzers. Walks every batch in capture order, handling its own
/// packets and sweeping idle flows at the others'. A fault stops this worker only: it marks each later batch
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
        _recorder = new ShardRecorder(shard, clock, plan.Prepare);
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
        _recorder.WriteTo(batch.Outputs[Shard]);
        var clock = _recorder.Clock;
        var memory = batch.MemoryAfter[Shard];
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch.Owners[i] == Shard)
            {
                clock.At(batch.FirstSequence + i);
                _processor.OnFrame(batch.Frame(i), batch.LinkTypes[i], batch.Times[i]);
            }
            else if (batch.Ticks[i])
            {
                clock.At(batch.FirstSequence + i);
                _processor.Tick(batch.Times[i]);
            }
            if (batch.Ticks[i]) memory[i] = _processor.MemoryUsed;
        }

        if (!batch.Final) return;
        clock.At(long.MaxValue);
        _processor.Finish();
        _setup.Complete?.Invoke(Stats);
    }
}
