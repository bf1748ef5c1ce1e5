using ShadowMcp.Classifier;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Cli.Scanning;

/// <summary>Hands each observation straight to the classifier's aggregator, so a scan keeps findings, not observations.</summary>
internal sealed class AggregatingSink(FindingAggregator aggregator, ScanStats stats) : IObservationSink
{
    public void Emit(Observation observation)
    {
        stats.Observations++;
        aggregator.Add(observation);
    }

    // The aggregator keeps strings it takes from an observation, never the observation or its bag.
    public bool KeepsObservations => false;
}
