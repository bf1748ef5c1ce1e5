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
}
