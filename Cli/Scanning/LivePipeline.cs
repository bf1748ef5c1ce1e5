using ShadowMcp.Classifier;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Decryption;
using ShadowMcp.Scanner.Flows;
using ShadowMcp.Scanner.Sessions;
using ShadowMcp.Scanner.Sharding;

namespace ShadowMcp.Cli.Scanning;

/// <summary>
/// What the live sensor runs behind the capture: the analyzers (<see cref="Factory"/>, fed packet by packet), the
/// findings aggregator, the flow log and the shape stage; <see cref="Flush"/> turns what has been seen into
/// findings and flow-log lines. Kept apart from libpcap so the same pipeline can be fed from a file in tests.
/// </summary>
public sealed class LivePipeline
{
    private readonly FindingAggregator _aggregator;
    private readonly IObservationSink _sink;
    private readonly DefaultAnalyzerFactory _analyzers;
    private readonly FlowLog? _flowLog;
    private readonly Shape.ShapeStage? _shape;
    private readonly Classifier.Shape.ShapeModel? _shapeModel;
    private readonly string _source;
    private readonly ScanStats _stats;
    private readonly TlsKeyLog? _keyLog;

    /// <param name="shapeModel">Scores TLS flows without keys by their shape (docs/shape-classifier.md); null for off.</param>
    public LivePipeline(McpClassifier classifier, string source, ScanStats stats, TlsKeyLog? keyLog = null,
        FlowLog? flowLog = null, Classifier.Shape.ShapeModel? shapeModel = null)
    {
        _source = source;
        _stats = stats;
        _keyLog = keyLog;
        _flowLog = flowLog;
        _shapeModel = shapeModel;
        _aggregator = classifier.CreateAggregator();
        _sink = new AggregatingSink(_aggregator, stats);
        var tracker = flowLog is not null ? new FlowTracker(_sink, flowLog.Add) : null;
        _shape = shapeModel is null ? null : new Shape.ShapeStage(shapeModel);
        _analyzers = new DefaultAnalyzerFactory(tracker ?? _sink, source) { KeyLog = keyLog, TlsFlows = _shape };
        Factory = tracker?.Wrap(_analyzers) ?? _analyzers;
    }

    /// <summary>What the aggregator's endpoint limits cost so far; null while nothing was folded or given up.</summary>
    public string? EndpointLimits => _aggregator.LimitSummary();

    /// <summary>Sets what the aggregator's limits cost so far on <paramref name="stats"/> (see <see cref="ScanStats"/>).</summary>
    public void CopyLimitsTo(ScanStats stats) => _aggregator.CopyLimitsTo(stats);

    /// <summary>The analyzers to feed packets to.</summary>
    public IAnalyzerFactory Factory { get; }

    /// <summary>
    /// This pipeline split over the workers of a sharded capture: each worker gets analyzers (and a flow tracker) like
    /// <see cref="Factory"/> and matches rules; the replay feeds this pipeline's aggregator, flow log and shape stage
    /// in one-thread order, so <see cref="Flush"/> works the same (<see cref="Factory"/> is then left unused).
    /// </summary>
    public ShardPlan Shards() => ShardedScanPlan.Create(_aggregator, _stats, _source, _keyLog, _flowLog, _shape);

    public AnalyzerCounters Counters => _analyzers.Counters;

    /// <summary>
    /// The findings as of <paramref name="now"/> (capture clock). Shape-scores the TLS flows whose sessions have
    /// settled (all ended ones when <paramref name="final"/>), then writes the ended flows to the flow log; a TLS
    /// flow still waiting for its shape score keeps its line until the flush that scores it.
    /// </summary>
    public IReadOnlyList<Finding> Flush(DateTime now, bool final)
    {
        var scores = _shape?.Flush(_sink, _source, now, final);
        var findings = _aggregator.Snapshot();
        if (_flowLog is not null)
        {
            var shape = scores is null ? ((IReadOnlyDictionary<string, double>, double)?)null : (scores, _shapeModel!.Threshold);
            _flowLog.Resolve(findings, shape, _shape is null ? null : r => _shape.IsAwaiting(r.Key));
        }
        return findings;
    }
}
