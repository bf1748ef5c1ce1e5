using ShadowMcp.Classifier.Shape;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Shape;
using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Cli.Shape;

/// <summary>
/// Classifies the TLS flows of one file that were not decrypted by their shape, when the file ends: groups
/// them into sessions, computes each flow's features, scores them with the shipped model, and emits a
/// <c>tls.shape</c> observation for every flow at or above the threshold (rules/mcp-shape.yaml turns those
/// into shape evidence). Collects summaries as the TLS analyzer hands them over; scoring happens once per file.
/// Without a model it only collects, for the feature table.
/// </summary>
public sealed class ShapeStage(ShapeModel? model) : ITlsFlowSink
{
    public const string Kind = ObservationKinds.TlsShape;
    private readonly List<TlsFlowSummary> _flows = [];

    public void OnTlsFlow(TlsFlowSummary summary) => _flows.Add(summary);

    /// <summary>Every collected flow with its session context and features (for the feature table).</summary>
    public IEnumerable<(TlsFlowSummary Flow, float[] Features)> Features()
    {
        var sessions = ShapeSessions.Of(_flows);
        for (var i = 0; i < _flows.Count; i++)
        {
            var features = new float[ShapeFeatures.Count];
            ShapeFeatures.Compute(_flows[i], sessions[i], features);
            yield return (_flows[i], features);
        }
    }

    /// <summary>
    /// Scores the flows without keys; emits observations for the MCP-shaped ones into <paramref name="sink"/>.
    /// Returns each scored flow's score by <see cref="FlowRef.Key"/>, for the flow log.
    /// </summary>
    public Dictionary<string, double> Finish(IObservationSink sink, string source)
    {
        if (model is null) throw new InvalidOperationException("scoring needs a shape model");
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var sessions = ShapeSessions.Of(_flows);
        Span<float> features = stackalloc float[ShapeFeatures.Count];
        for (var i = 0; i < _flows.Count; i++)
        {
            if (_flows[i].Decrypted) continue;
            ShapeFeatures.Compute(_flows[i], sessions[i], features);
            scores[_flows[i].Flow.Key] = Math.Round(model.Score(features), 3);
        }
        // "Several clients": distinct client addresses with MCP-shaped flows to the same server address and port.
        var clients = _flows.Where(f => scores.TryGetValue(f.Flow.Key, out var s) && s >= model.Threshold)
            .GroupBy(f => (f.Flow.Server, f.Flow.ServerPort))
            .ToDictionary(g => g.Key, g => g.Select(f => f.Flow.Client).Distinct(StringComparer.Ordinal).Count());
        foreach (var flow in _flows)
        {
            if (!scores.TryGetValue(flow.Flow.Key, out var score) || score < model.Threshold) continue;
            var fields = new FieldBag()
                .Add("score", score.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture))
                .Add("clients", clients[(flow.Flow.Server, flow.Flow.ServerPort)] > 1 ? "several" : "one")
                .AddIfPresent("sni", flow.Sni);
            sink.Emit(new Observation
            {
                Kind = Kind, Flow = flow.Flow, Time = flow.Start, Fields = fields, Source = source,
            });
        }
        _flows.Clear();
        return scores;
    }
}
