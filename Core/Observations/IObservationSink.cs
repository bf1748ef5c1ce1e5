namespace ShadowMcp.Core.Observations;

/// <summary>Where the Scanner's analyzers hand their observations. Called on the scanning thread.</summary>
public interface IObservationSink
{
    void Emit(Observation observation);
}

/// <summary>Collects observations in memory; used by tests and by the file scanner per capture file.</summary>
public sealed class ObservationList : IObservationSink
{
    public List<Observation> Items { get; } = [];

    public void Emit(Observation observation) => Items.Add(observation);
}
