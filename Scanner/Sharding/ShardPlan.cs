using ShadowMcp.Core.Observations;

namespace ShadowMcp.Scanner.Sharding;

/// <summary>How a sharded scan builds its workers and where their emissions go.</summary>
public sealed class ShardPlan
{
    /// <summary>Builds one worker's analyzers around its recorder; called once per shard, before reading starts.</summary>
    public required Func<ShardRecorder, ShardWorkerSetup> CreateWorker { get; init; }

    /// <summary>Runs on the workers for each observation (pure work such as rule matching); may be null.</summary>
    public Func<Observation, object?>? Prepare { get; init; }

    /// <summary>Receives every emission of every shard, on one thread, in one-thread order.</summary>
    public required Action<ShardEvent> Replay { get; init; }

    /// <summary>
    /// False when <see cref="Replay"/> (and whatever <see cref="Prepare"/> made) keeps no observation and no field bag
    /// once it returns (it may keep field values): the workers then fill the replayed observations again
    /// (<see cref="ObservationPool"/>) instead of making new ones. True by default, the safe side.
    /// </summary>
    public bool ReplayKeepsObservations { get; init; } = true;
}
