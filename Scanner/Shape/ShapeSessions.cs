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
            var sessionEnd = End(flows[members[0]]);
            for (var k = 1; k <= members.Count; k++)
            {
                if (k < members.Count && (Start(flows[members[k]]) - sessionEnd).TotalSeconds <= GapSeconds)
                {
                    if (End(flows[members[k]]) > sessionEnd) sessionEnd = End(flows[members[k]]);
                    continue;
                }
                Describe(flows, members.GetRange(from, k - from), result);
                if (k < members.Count) { from = k; sessionEnd = End(flows[members[k]]); }
            }
        }
        return result;
    }

    private static void Describe(IReadOnlyList<TlsFlowSummary> flows, List<int> session, SessionShape[] result)
    {
        var start = Start(flows[session[0]]);
        var end = session.Max(i => End(flows[i]));
        var life = Math.Max((end - start).TotalSeconds, 1e-3);
        var maxParallel = 1;
        foreach (var i in session)
        {
            var at = Start(flows[i]);
            var parallel = session.Count(j => Start(flows[j]) <= at && End(flows[j]) >= at);
            if (parallel > maxParallel) maxParallel = parallel;
        }
        var together = session.Count > 1 && session.Count(i => (end - End(flows[i])).TotalSeconds <= 1) >= 2;
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
            var (s, e) = (Start(flows[i]), End(flows[i]));
            var beside = session.Any(j => j != i && Start(flows[j]) < e && End(flows[j]) > s);
            var cover = Math.Clamp((e - s).TotalSeconds / life, 0, 1);
            result[i] = new SessionShape(session.Count, maxParallel, beside, cover,
                together, minLastRequest, maxPairs, pushStream, startedTogether, finalRequest, finalAnswer,
                bytesRatio, pushPerRequest, totalPairs, requestSpread);
        }
    }

    private static double Lifetime(TlsFlowSummary f) => (End(f) - Start(f)).TotalSeconds;

    private static DateTime Start(TlsFlowSummary f) => f.Start;

    private static DateTime End(TlsFlowSummary f) => f.Shape.Last > f.Start ? f.Shape.Last : f.Start;
}
