using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Shape;

/// <summary>
/// Groups a client's TLS flows to one server (address and port) into sessions: flows that overlap or start
/// within <see cref="GapSeconds"/> of the session's last activity. MCP over Streamable HTTP keeps a GET stream
/// beside its POSTs and ends them together (a DELETE, then close); most look-alikes use one connection or a
/// row of short ones. Runs once per file at its end, not per packet.
/// </summary>
public static class ShapeSessions
{
    public const double GapSeconds = 5;

    /// <summary>The session context of each flow, in the order given.</summary>
    public static SessionShape[] Of(IReadOnlyList<TlsFlowSummary> flows)
    {
        var result = new SessionShape[flows.Count];
        foreach (var session in Sessions(flows)) Describe(flows, session, result);
        return result;
    }

    /// <summary>The sessions, each as the indexes of its flows in <paramref name="flows"/>, sorted by start.</summary>
    public static IEnumerable<List<int>> Sessions(IReadOnlyList<TlsFlowSummary> flows)
    {
        var groups = new Dictionary<(string, string, int), List<int>>();
        for (var i = 0; i < flows.Count; i++)
        {
            var f = flows[i].Flow;
            if (!groups.TryGetValue((f.Client, f.Server, f.ServerPort), out var list))
                groups[(f.Client, f.Server, f.ServerPort)] = list = [];
            list.Add(i);
        }
        foreach (var members in groups.Values)
        {
            members.Sort((a, b) => Start(flows[a]).CompareTo(Start(flows[b])));
            var from = 0;
            var sessionEnd = EndOf(flows[members[0]]);
            for (var k = 1; k <= members.Count; k++)
            {
                if (k < members.Count && (Start(flows[members[k]]) - sessionEnd).TotalSeconds <= GapSeconds)
                {
                    if (EndOf(flows[members[k]]) > sessionEnd) sessionEnd = EndOf(flows[members[k]]);
                    continue;
                }
                yield return members.GetRange(from, k - from);
                if (k < members.Count) { from = k; sessionEnd = EndOf(flows[members[k]]); }
            }
        }
    }

    /// <summary>When the flow's last record went by (its start if it had none).</summary>
    public static DateTime EndOf(TlsFlowSummary f) => f.Shape.Last > f.Start ? f.Shape.Last : f.Start;

    private static void Describe(IReadOnlyList<TlsFlowSummary> flows, List<int> session, SessionShape[] result)
    {
        var start = Start(flows[session[0]]);
        var end = session.Max(i => EndOf(flows[i]));
        var life = Math.Max((end - start).TotalSeconds, 1e-3);
        var overlaps = new Overlaps(flows, session);
        var maxParallel = 1;
        foreach (var i in session) maxParallel = Math.Max(maxParallel, overlaps.RunningAt(Start(flows[i])));
        var together = session.Count > 1 && session.Count(i => (end - EndOf(flows[i])).TotalSeconds <= 1) >= 2;
        var minLastRequest = session.Min(i => ShapeFeatures.LastRequestRatio(flows[i]));
        var maxPairs = session.Max(i => flows[i].Shape.Pairs);
        var pushStream = maxPairs >= 2 && session.Any(i =>
            flows[i].Shape.Requests <= 1 && flows[i].ServerRecords > 0 && Lifetime(flows[i]) >= life / 2);
        var startedTogether = session.Count(i => (Start(flows[i]) - start).TotalSeconds <= 1);
        var final = session.MaxBy(i => flows[i].Shape.LastRequestTime);
        var (finalRequest, finalAnswer) = ShapeFeatures.FinalExchangeRatios(flows[final]);
        long clientBytes = 0, serverBytes = 0;
        foreach (var i in session) { clientBytes += flows[i].ClientRecordBytes; serverBytes += flows[i].ServerRecordBytes; }
        var bytesRatio = Math.Log(serverBytes + 1.0) - Math.Log(clientBytes + 1.0);
        var pushPerRequest = SessionPairing.PushPerRequest(flows, session, life);
        var totalPairs = SessionPairing.TotalPairs(flows, session);
        var requestSpread = SessionPairing.RequestSpread(flows, session);
        foreach (var i in session)
        {
            var (s, e) = (Start(flows[i]), EndOf(flows[i]));
            var beside = overlaps.OthersDuring(s, e) > 0;
            var cover = Math.Clamp((e - s).TotalSeconds / life, 0, 1);
            result[i] = new SessionShape(session.Count, maxParallel, beside, cover,
                together, minLastRequest, maxPairs, pushStream, startedTogether, finalRequest, finalAnswer,
                bytesRatio, pushPerRequest, totalPairs, requestSpread);
        }
    }

    /// <summary>
    /// The session's flows as closed intervals [start, end], sorted by start and by end, so that "how many run at
    /// this time" and "does another overlap this one" are binary searches, not a pass over the session per flow.
    /// </summary>
    private readonly struct Overlaps
    {
        private readonly long[] _starts;
        private readonly long[] _ends;
        private readonly long[] _instants; // flows that start and end at the same tick

        public Overlaps(IReadOnlyList<TlsFlowSummary> flows, List<int> session)
        {
            _starts = new long[session.Count];
            _ends = new long[session.Count];
            var instants = new List<long>();
            for (var k = 0; k < session.Count; k++)
            {
                var f = flows[session[k]];
                _starts[k] = Start(f).Ticks;
                _ends[k] = EndOf(f).Ticks;
                if (_starts[k] == _ends[k]) instants.Add(_starts[k]);
            }
            Array.Sort(_starts);
            Array.Sort(_ends);
            _instants = [.. instants];
            Array.Sort(_instants);
        }

        /// <summary>Flows with start ≤ <paramref name="at"/> ≤ end (a flow ending before it started none: end ≥ start).</summary>
        public int RunningAt(DateTime at) =>
            SortedTicks.AtOrBelow(_starts, at.Ticks) - SortedTicks.Below(_ends, at.Ticks);

        /// <summary>
        /// Other flows with start &lt; <paramref name="end"/> and end &gt; <paramref name="start"/>, for a flow of the
        /// session spanning [start, end]: those starting before its end, less those ended by its start (which also
        /// started before its end, except flows of no length at exactly its instant), less itself.
        /// </summary>
        public int OthersDuring(DateTime start, DateTime end)
        {
            long s = start.Ticks, e = end.Ticks;
            var endedByStart = SortedTicks.AtOrBelow(_ends, s);
            if (s == e) endedByStart -= SortedTicks.AtOrBelow(_instants, s) - SortedTicks.Below(_instants, s);
            var self = s < e ? 1 : 0;
            return SortedTicks.Below(_starts, e) - endedByStart - self;
        }
    }

    private static double Lifetime(TlsFlowSummary f) => (EndOf(f) - Start(f)).TotalSeconds;

    private static DateTime Start(TlsFlowSummary f) => f.Start;
}
