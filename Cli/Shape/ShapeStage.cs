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
        /// <summary>
        /// File scans: once this many ended flows wait for the file's end, score those whose sessions have settled
        /// and keep only their scores, so a long capture's TLS records do not all stay in memory to the end
        /// (<see cref="Finish"/> still emits everything in the order the flows ended). 0: never (live, which
        /// scores at its flushes).
        /// </summary>
        public int ScoreEarlyAfterFlows { get; init; }
        /// <summary>
        /// File scans scoring early: at most this many ended flows wait for their sessions to settle. Past it the
        /// sessions that ended first are scored with the flows they have, so a client that never pauses (one endless
        /// session) does not keep every record of a long capture in memory; later flows start a new session.
        /// </summary>
        public int MaxWaitingFlows { get; init; } = 20_000;
    }

    /// <summary>
    /// How long after a file's latest flow end a session counts as settled early: the session gap, plus room for
    /// capture files whose packets are not in time order.
    /// </summary>
    public const double FileSettleSeconds = ShapeSessions.GapSeconds + 60;

    // A flow scored before the file's end, reduced to what the end needs; Order is its place among ended flows.
    private readonly record struct EarlyScore(long Order, FlowRef Flow, DateTime Start, string? Sni, double Score);

    private readonly Options _options = options ?? new Options();
    private readonly HashSet<TlsFlowSummary> _open = new(ReferenceEqualityComparer.Instance);
    private readonly List<TlsFlowSummary> _ended = [];
    private readonly HashSet<string> _awaiting = new(StringComparer.Ordinal);
    private readonly List<(TlsFlowSummary Flow, double? Score)> _context = [];
    // File scans scoring early: the scores kept, each pending flow's place in the end order, the latest flow end.
    private readonly List<EarlyScore> _early = [];
    private readonly Dictionary<TlsFlowSummary, long> _endOrder = new(ReferenceEqualityComparer.Instance);
    private long _endedCount;
    private DateTime _latestEnd;
    private int _nextEarly;
    private DateTime _lastEarlyTry;
    private double _earlyInterval = FileSettleSeconds;

    /// <summary>Flows scored before the file's end (and their summaries dropped), for tests and diagnostics.</summary>
    internal long ScoredEarly { get; private set; }

    /// <summary>Ended flows waiting to be scored (their records held).</summary>
    internal int Waiting => _ended.Count;

    /// <summary>Sessions scored before they settled because too many flows waited (<see cref="Options.MaxWaitingFlows"/>).</summary>
    internal long CutShort { get; private set; }

    public void OnTlsFlowStarted(TlsFlowSummary summary) => _open.Add(summary);

    public void OnTlsFlow(TlsFlowSummary summary)
    {
        _open.Remove(summary);
        _ended.Add(summary);
        if (model is not null && !summary.Decrypted) _awaiting.Add(summary.Flow.Key);
        if (model is null || _options.ScoreEarlyAfterFlows <= 0) return;
        _endOrder[summary] = _endedCount++;
        if (ShapeSessions.EndOf(summary) > _latestEnd) _latestEnd = ShapeSessions.EndOf(summary);
        // Tried when enough flows wait and either as many again have ended since the last try or the capture's
        // clock has moved on by a settling time (doubled while tries settle nothing): each try is a pass over the
        // waiting flows, so not one per flow.
        if (_ended.Count >= _options.ScoreEarlyAfterFlows
            && (_ended.Count >= _nextEarly || _ended.Count > _options.MaxWaitingFlows
                || (_latestEnd - _lastEarlyTry).TotalSeconds >= _earlyInterval))
            ScoreSettledEarly();
    }

    /// <summary>
    /// Scores the flows of sessions that can no longer grow and drops their summaries: the session's last record is
    /// <see cref="FileSettleSeconds"/> behind the file's latest flow end, so a flow still to come starts too late to
    /// join it, and no open flow of the same client and server started before the session's end plus the gap (an open
    /// flow's end can still move, e.g. a quiet SSE stream that speaks again, and take the session in). Its features
    /// are then what the file's end would compute. Open flows are judged by their start only, which does not change
    /// while their workers (--threads) still add records. Per session, not per client-to-server group: a client that
    /// keeps talking to one server on new connections still has its earlier sessions scored.
    /// </summary>
    private void ScoreSettledEarly()
    {
        _lastEarlyTry = _latestEnd;
        var firstOpen = new Dictionary<(string, string, int), DateTime>();
        foreach (var f in _open)
            if (!firstOpen.TryGetValue(Group(f), out var at) || f.Start < at) firstOpen[Group(f)] = f.Start;
        var settled = new List<TlsFlowSummary>();
        var unsettled = new List<(List<int> Session, DateTime End)>();
        foreach (var session in ShapeSessions.Sessions(_ended))
        {
            var end = session.Max(i => ShapeSessions.EndOf(_ended[i]));
            if ((_latestEnd - end).TotalSeconds < FileSettleSeconds
                || (firstOpen.TryGetValue(Group(_ended[session[0]]), out var openSince)
                    && (openSince - end).TotalSeconds <= ShapeSessions.GapSeconds))
            {
                unsettled.Add((session, end));
                continue;
            }
            foreach (var i in session) settled.Add(_ended[i]);
        }
        // Too many still waiting (sessions that never pause): the ones that ended first go now, down to half the cap.
        if (_ended.Count - settled.Count > _options.MaxWaitingFlows)
        {
            var waiting = _ended.Count - settled.Count;
            foreach (var (session, _) in unsettled.OrderBy(u => u.End))
            {
                if (waiting <= _options.MaxWaitingFlows / 2) break;
                foreach (var i in session) settled.Add(_ended[i]);
                waiting -= session.Count;
                CutShort++;
            }
        }
        // Nothing settled: back off, so a capture whose sessions never pause costs a few passes, not one a minute.
        _earlyInterval = settled.Count > 0 ? FileSettleSeconds : 2 * _earlyInterval;
        if (settled.Count > 0)
        {
            var sessions = ShapeSessions.Of(settled);
            Span<float> features = stackalloc float[ShapeFeatures.Count];
            for (var i = 0; i < settled.Count; i++)
            {
                var flow = settled[i];
                if (!flow.Decrypted)
                {
                    _early.Add(new EarlyScore(_endOrder[flow], flow.Flow, flow.Start, flow.Sni, Score(flow, sessions[i], features)));
                    ScoredEarly++;
                }
                _endOrder.Remove(flow);
            }
            var done = new HashSet<TlsFlowSummary>(settled, ReferenceEqualityComparer.Instance);
            _ended.RemoveAll(done.Contains);
        }
        // Amortized: the next attempt waits until as many flows again have ended.
        _nextEarly = 2 * _ended.Count;
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
        var scores = _early.Count > 0 ? FinishWithEarlyScores(sink, source) : Flush(sink, source, DateTime.MaxValue, final: true);
        _context.Clear();
        _early.Clear();
        _endOrder.Clear();
        return scores;
    }

    /// <summary>
    /// The file's end when some flows were scored early: scores the rest as <see cref="Flush"/> would, then emits
    /// every MCP-shaped flow in the order the flows ended, with "several clients" counted over the whole file.
    /// </summary>
    private Dictionary<string, double> FinishWithEarlyScores(IObservationSink sink, string source)
    {
        var all = new List<TlsFlowSummary>(_ended.Count + _open.Count);
        all.AddRange(_ended);
        all.AddRange(_open);
        var sessions = ShapeSessions.Of(all);
        Span<float> features = stackalloc float[ShapeFeatures.Count];
        var scored = new List<EarlyScore>(_early.Count + _ended.Count);
        scored.AddRange(_early);
        for (var i = 0; i < _ended.Count; i++)
        {
            var flow = _ended[i];
            _awaiting.Remove(flow.Flow.Key);
            if (flow.Decrypted) continue;
            scored.Add(new EarlyScore(_endOrder[flow], flow.Flow, flow.Start, flow.Sni, Score(flow, sessions[i], features)));
        }
        _ended.Clear();
        scored.Sort((a, b) => a.Order.CompareTo(b.Order));
        foreach (var e in _early) _awaiting.Remove(e.Flow.Key);

        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var e in scored) scores[e.Flow.Key] = e.Score;
        var clients = ClientsPerServer(scored.Where(e => e.Score >= model!.Threshold).Select(e => (e.Flow, e.Sni)));
        foreach (var e in scored)
        {
            if (e.Score < model!.Threshold) continue;
            Emit(sink, source, e.Flow, e.Start, e.Sni, e.Score, clients[(e.Flow.Server, e.Flow.ServerPort, SniKey(e.Sni))]);
        }
        return scores;
    }

    /// <summary>The model's score of one flow in its session, rounded as the flow log and observations give it.</summary>
    private double Score(TlsFlowSummary flow, SessionShape session, Span<float> features)
    {
        ShapeFeatures.Compute(flow, session, features);
        return Math.Round(model!.Score(features), 3);
    }

    /// <summary>
    /// Distinct client addresses per server address, port and server name (SNI) among MCP-shaped flows ("several
    /// clients"). By name too: one address of a CDN or gateway serves thousands of sites, and two clients' flows that
    /// merely look alike to two different sites there are not several clients of one server.
    /// </summary>
    internal static Dictionary<(string Server, int Port, string Sni), int> ClientsPerServer(IEnumerable<(FlowRef Flow, string? Sni)> shaped) =>
        shaped.GroupBy(f => (f.Flow.Server, f.Flow.ServerPort, SniKey(f.Sni)))
            .ToDictionary(g => g.Key, g => g.Select(f => f.Flow.Client).Distinct(StringComparer.Ordinal).Count());

    internal static string SniKey(string? sni) => sni?.TrimEnd('.').ToLowerInvariant() ?? "";

    private static void Emit(IObservationSink sink, string source, FlowRef flow, DateTime start, string? sni, double score, int clients)
    {
        var fields = new FieldBag()
            .Add("score", score.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture))
            .Add("clients", clients > 1 ? "several" : "one")
            .AddIfPresent("sni", sni);
        sink.Emit(new Observation { Kind = Kind, Flow = flow, Time = start, Fields = fields, Source = source });
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
                score = Score(flow, sessions[index[flow]], features);
                scores[flow.Flow.Key] = score.Value;
            }
            scoredNow.Add((flow, score));
            _awaiting.Remove(flow.Flow.Key);
        }

        // "Several clients": distinct client addresses with MCP-shaped flows to the same server address, port and
        // name, counted over this flush and the flows still kept as context.
        var clients = ClientsPerServer(_context.Concat(scoredNow).Where(c => c.Score >= model.Threshold).Select(c => (c.Flow.Flow, c.Flow.Sni)));
        foreach (var (flow, score) in scoredNow)
        {
            if (score is not { } s || s < model.Threshold) continue;
            Emit(sink, source, flow.Flow, flow.Start, flow.Sni, s, clients[(flow.Flow.Server, flow.Flow.ServerPort, SniKey(flow.Sni))]);
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
            if ((now - ShapeSessions.EndOf(f)).TotalSeconds < ShapeSessions.GapSeconds) busy.Add(Group(f));
        }
        return _ended.Where(f => !busy.Contains(Group(f))).ToList();
    }

    private void Forget(DateTime now)
    {
        if (now == DateTime.MaxValue) return;
        _context.RemoveAll(c => (now - ShapeSessions.EndOf(c.Flow)).TotalSeconds > _options.ContextSeconds);
        if (_context.Count > _options.MaxContextFlows) _context.RemoveRange(0, _context.Count - _options.MaxContextFlows);
    }

    private static (string, string, int) Group(TlsFlowSummary f) => (f.Flow.Client, f.Flow.Server, f.Flow.ServerPort);
}
