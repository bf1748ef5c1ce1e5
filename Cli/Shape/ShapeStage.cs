using ShadowMcp.Classifier.Shape;
using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Shape;
using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Cli.Shape;

/// <summary>
/// Classifies TLS flows that were not decrypted by their shape: groups them into sessions, computes each flow's
/// features, scores them with the shipped model, and emits a <c>tls.shape</c> observation for every flow at or
/// above the threshold (rules/mcp-shape.yaml turns those into shape evidence). Collects summaries as the TLS
/// analyzer hands them over; scoring happens at a file's end (<see cref="Finish"/>) or a live flush
/// (<see cref="Flush"/>), never per packet. Without a model it only collects, for the feature table.
/// </summary>
/// <remarks>
/// Live, a flow is scored once its session has settled: none of the client's flows to that server is still open
/// and none ended within <see cref="ShapeSessions.GapSeconds"/>, so the session features see the flows that came
/// with it (the GET stream beside the POSTs, the teardown). Scored flows stay as context for later flows of the
/// same session for <see cref="Options.ContextSeconds"/>; a score, once given, is final.
/// </remarks>
public sealed class ShapeStage(ShapeModel? model, ShapeStage.Options? options = null) : ITlsFlowSink
{
    public const string Kind = ObservationKinds.TlsShape;

    public sealed class Options
    {
        /// <summary>How long a scored flow stays as session context for the flows after it (live).</summary>
        public double ContextSeconds { get; init; } = 300;
        /// <summary>At most this many scored flows are kept as context; the oldest go first.</summary>
        public int MaxContextFlows { get; init; } = 20_000;
    }

    private readonly Options _options = options ?? new Options();
    private readonly HashSet<TlsFlowSummary> _open = new(ReferenceEqualityComparer.Instance);
    private readonly List<TlsFlowSummary> _ended = [];
    private readonly HashSet<string> _awaiting = new(StringComparer.Ordinal);
    private readonly List<(TlsFlowSummary Flow, double? Score)> _context = [];

    public void OnTlsFlowStarted(TlsFlowSummary summary) => _open.Add(summary);

    public void OnTlsFlow(TlsFlowSummary summary)
    {
        _open.Remove(summary);
        _ended.Add(summary);
        if (model is not null && !summary.Decrypted) _awaiting.Add(summary.Flow.Key);
    }

    /// <summary>The flow (by <see cref="FlowRef.Key"/>) has ended but is not scored yet: hold its flow-log line.</summary>
    public bool IsAwaiting(string flowKey) => _awaiting.Contains(flowKey);

    /// <summary>Every collected flow with its session context and features (for the feature table).</summary>
    public IEnumerable<(TlsFlowSummary Flow, float[] Features)> Features()
    {
        var sessions = ShapeSessions.Of(_ended);
        for (var i = 0; i < _ended.Count; i++)
        {
            var features = new float[ShapeFeatures.Count];
            ShapeFeatures.Compute(_ended[i], sessions[i], features);
            yield return (_ended[i], features);
        }
    }

    /// <summary>
    /// A file has ended: scores every flow without keys; emits observations for the MCP-shaped ones into
    /// <paramref name="sink"/>. Returns each scored flow's score by <see cref="FlowRef.Key"/>, for the flow log.
    /// </summary>
    public Dictionary<string, double> Finish(IObservationSink sink, string source)
    {
        var scores = Flush(sink, source, DateTime.MaxValue, final: true);
        _context.Clear();
        return scores;
    }

    /// <summary>
    /// A live flush at <paramref name="now"/> (capture clock): scores the flows whose sessions have settled, or all
    /// ended flows when <paramref name="final"/> (the capture stopped). Returns this flush's scores by flow key.
    /// </summary>
    public Dictionary<string, double> Flush(IObservationSink sink, string source, DateTime now, bool final)
    {
        if (model is null) throw new InvalidOperationException("scoring needs a shape model");
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        if (_ended.Count == 0) return scores;
        var settled = final ? _ended : Settled(now);
        if (settled.Count == 0) return scores;

        // Session context: earlier scored flows, every ended flow and the open ones as they are so far.
        var all = new List<TlsFlowSummary>(_context.Count + _ended.Count + _open.Count);
        all.AddRange(_context.Select(c => c.Flow));
        all.AddRange(_ended);
        all.AddRange(_open);
        var sessions = ShapeSessions.Of(all);
        var index = new Dictionary<TlsFlowSummary, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < all.Count; i++) index[all[i]] = i;
        Span<float> features = stackalloc float[ShapeFeatures.Count];
        var scoredNow = new List<(TlsFlowSummary Flow, double? Score)>(settled.Count);
        foreach (var flow in settled)
        {
            double? score = null;
            if (!flow.Decrypted)
            {
                ShapeFeatures.Compute(flow, sessions[index[flow]], features);
                score = Math.Round(model.Score(features), 3);
                scores[flow.Flow.Key] = score.Value;
            }
            scoredNow.Add((flow, score));
            _awaiting.Remove(flow.Flow.Key);
        }

        // "Several clients": distinct client addresses with MCP-shaped flows to the same server address and port,
        // counted over this flush and the flows still kept as context.
        var clients = _context.Concat(scoredNow).Where(c => c.Score >= model.Threshold)
            .GroupBy(c => (c.Flow.Flow.Server, c.Flow.Flow.ServerPort))
            .ToDictionary(g => g.Key, g => g.Select(c => c.Flow.Flow.Client).Distinct(StringComparer.Ordinal).Count());
        foreach (var (flow, score) in scoredNow)
        {
            if (score is not { } s || s < model.Threshold) continue;
            var fields = new FieldBag()
                .Add("score", s.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture))
                .Add("clients", clients[(flow.Flow.Server, flow.Flow.ServerPort)] > 1 ? "several" : "one")
                .AddIfPresent("sni", flow.Sni);
            sink.Emit(new Observation
            {
                Kind = Kind, Flow = flow.Flow, Time = flow.Start, Fields = fields, Source = source,
            });
        }

        if (ReferenceEquals(settled, _ended)) _ended.Clear();
        else
        {
            var done = new HashSet<TlsFlowSummary>(settled, ReferenceEqualityComparer.Instance);
            _ended.RemoveAll(done.Contains);
        }
        _context.AddRange(scoredNow);
        Forget(now);
        return scores;
    }

    /// <summary>Ended flows whose client-to-server group has no open flow and no flow that ended recently.</summary>
    private List<TlsFlowSummary> Settled(DateTime now)
    {
        var busy = new HashSet<(string, string, int)>();
        foreach (var f in _open) busy.Add(Group(f));
        foreach (var f in _ended)
        {
            if ((now - End(f)).TotalSeconds < ShapeSessions.GapSeconds) busy.Add(Group(f));
        }
        return _ended.Where(f => !busy.Contains(Group(f))).ToList();
    }

    private void Forget(DateTime now)
    {
        if (now == DateTime.MaxValue) return;
        _context.RemoveAll(c => (now - End(c.Flow)).TotalSeconds > _options.ContextSeconds);
        if (_context.Count > _options.MaxContextFlows) _context.RemoveRange(0, _context.Count - _options.MaxContextFlows);
    }

    private static (string, string, int) Group(TlsFlowSummary f) => (f.Flow.Client, f.Flow.Server, f.Flow.ServerPort);

    private static DateTime End(TlsFlowSummary f) => f.Shape.Last > f.Start ? f.Shape.Last : f.Start;
}
