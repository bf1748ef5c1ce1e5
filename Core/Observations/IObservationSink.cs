namespace ShadowMcp.Core.Observations;

/// <summary>Where the Scanner's analyzers hand their observations. Called on the scanning thread.</summary>
public interface IObservationSink
{
    void Emit(Observation observation);

    /// <summary>
    /// False when the sink is done with an observation and its field bag once <see cref="Emit"/> returns (it may keep
    /// field values, which are immutable strings, but not the observation or the bag). The analyzers then refill one
    /// observation and one bag for everything they emit, instead of making both per observation.
    /// </summary>
    bool KeepsObservations => true;

    /// <summary>
    /// Where a sink that keeps observations only for a while hands them back for reuse (a shard's recorder, until the
    /// merge replayed them); the analyzers then take bags and observations from it. Null when the sink has none.
    /// </summary>
    ObservationPool? Pool => null;
}

/// <summary>Collects observations in memory; used by tests and by the file scanner per capture file.</summary>
public sealed class ObservationList : IObservationSink
{
    public List<Observation> Items { get; } = [];

    public void Emit(Observation observation) => Items.Add(observation);
}
