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
}
