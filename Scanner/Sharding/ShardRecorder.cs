using ShadowMcp.Core.Observations;

namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// A shard's observation sink: records each emission with its <see cref="EmissionKey"/> instead of passing it
/// on, so the merger can replay all shards in one-thread order. <see cref="Prepare"/> runs on the worker (rule
/// matching, for instance), so only the order-dependent step is left to the merger.
/// </summary>
public sealed class ShardRecorder : IObservationSink
{
    private List<ShardEvent> _events = [];

    internal ShardRecorder(int shard, EmissionClock clock, Func<Observation, object?>? prepare, bool replayKeepsObservations = true)
    {
        Shard = shard;
        Clock = clock;
        Prepare = prepare;
        Pool = replayKeepsObservations ? null : new ObservationPool();
    }

    /// <summary>This shard's number, 0 to threads - 1.</summary>
    public int Shard { get; }

    public EmissionClock Clock { get; }

    /// <summary>Work done on each observation in parallel, handed to the replay as <see cref="ShardEvent.Prepared"/>.</summary>
    public Func<Observation, object?>? Prepare { get; }

    public void Emit(Observation observation) => Record(observation, Prepare?.Invoke(observation));

    /// <summary>
    /// Observations the merger has replayed come back here and the worker's analyzers fill them again; null when the
    /// plan's replay keeps observations (<see cref="ShardPlan.ReplayKeepsObservations"/>).
    /// </summary>
    public ObservationPool? Pool { get; }

    /// <summary>
    /// Gives the observations of already replayed emissions back to <see cref="Pool"/> and empties the list. The replay
    /// keeps no observation (the aggregator reads fields and keeps their values, as with the one-thread scan's reused one).
    /// </summary>
    internal void Recycle(List<ShardEvent> replayed)
    {
        if (Pool is { } pool)
            foreach (var e in replayed)
                if (e.Item is Observation observation) pool.Return(observation);
        replayed.Clear();
    }

    /// <summary>Records anything else that must reach the merger in order (a flow record, a TLS summary).</summary>
    public void Record(object item, object? prepared = null) => _events.Add(new ShardEvent(Clock.Key, item, prepared));

    /// <summary>Where the next emissions go: the list for the batch the worker handles now.</summary>
    internal void WriteTo(List<ShardEvent> events) => _events = events;
}
