using ShadowMcp.Classifier;
using ShadowMcp.Classifier.Rules;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Decryption;
using ShadowMcp.Scanner.Flows;
using ShadowMcp.Scanner.Sharding;
using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Cli.Scanning;

/// <summary>
/// The file pipeline of <see cref="ScanRunner"/> split over shards: each worker gets the analyzers (and flow
/// tracker) one thread would use and matches rules on its observations; the replay adds them to the one
/// aggregator, flow log and shape stage in one-thread order.
/// </summary>
internal static class ShardedScanPlan
{
    public static ShardPlan Create(FindingAggregator aggregator, ScanStats stats, string source, TlsKeyLog? keyLog,
        FlowLog? flowLog, ITlsFlowSink? tlsFlows) => new()
    {
        Prepare = aggregator.MatchRules,
        // The aggregator keeps strings it takes from an observation, never the observation or its bag (as AggregatingSink).
        ReplayKeepsObservations = false,
        CreateWorker = recorder =>
        {
            var tracker = flowLog is null ? null : new FlowTracker(recorder, record => recorder.Record(record));
            var analyzers = new DefaultAnalyzerFactory(tracker ?? (IObservationSink)recorder, source)
            {
                KeyLog = keyLog, TlsFlows = tlsFlows is null ? null : new ShardTlsFlowRecorder(recorder),
            };
            return new ShardWorkerSetup(tracker?.Wrap(analyzers) ?? analyzers, AddCounters: analyzers.Counters.AddTo);
        },
        Replay = e =>
        {
            switch (e.Item)
            {
                case Observation observation:
                    stats.Observations++;
                    aggregator.Add(observation, (MatchedRules)e.Prepared!);
                    break;
                case FlowRecord record:
                    flowLog!.Add(record);
                    break;
                case TlsFlowSummary summary when ReferenceEquals(e.Prepared, ShardTlsFlowRecorder.Started):
                    tlsFlows!.OnTlsFlowStarted(summary);
                    break;
                case TlsFlowSummary summary:
                    tlsFlows!.OnTlsFlow(summary);
                    break;
                default:
                    throw new InvalidOperationException($"unexpected shard event {e.Item.GetType().Name}");
            }
        },
    };
}
