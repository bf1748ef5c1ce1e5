using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Shape;

/// <summary>
/// How a session's requests are answered across its connections, from the flows' first records, with loops over
/// them and no allocation. MCP answers every JSON-RPC request, but not always on the request's connection:
/// the legacy HTTP+SSE transport acknowledges each POST with a tiny 202 and sends the answer on the SSE stream
/// shortly after; the 2026-07-28 sessionless protocol sends each request on its own (no initialize, no session
/// id) and a client may spread them over short connections. Only the order of records is used, never a size or
/// a time span in absolute terms.
/// </summary>
public static class SessionPairing
{
    /// <summary>
    /// Of the requests on the session's other connections, the fraction after which a stream connection (at most
    /// one request, server records, open over at least half the session's <paramref name="lifeSeconds"/>) got a
    /// server record before the session's next request: the legacy transport's answer pushed per POST. 0 when
    /// the session has no stream or no such request.
    /// </summary>
    public static double PushPerRequest(IReadOnlyList<TlsFlowSummary> flows, IReadOnlyList<int> session,
        double lifeSeconds)
    {
        var minStream = lifeSeconds / 2;
        int requests = 0, pushed = 0;
        for (var m = 0; m < session.Count; m++)
        {
            var i = session[m];
            if (IsStream(flows[i], minStream)) continue;
            var records = flows[i].Records;
            for (var k = 0; k < records.Count; k++)
            {
                if (!IsRequest(records[k])) continue;
                var at = records[k].Time;
                var next = NextRequest(flows, session, minStream, at);
                requests++;
                if (StreamPushBetween(flows, session, minStream, at, next)) pushed++;
            }
        }
        return requests == 0 || !HasStream(flows, session, minStream) ? 0 : pushed / (double)requests;
    }

    /// <summary>Request/response pairs over every connection of the session.</summary>
    public static int TotalPairs(IReadOnlyList<TlsFlowSummary> flows, IReadOnlyList<int> session)
    {
        var total = 0;
        for (var m = 0; m < session.Count; m++) total += flows[session[m]].Shape.Pairs;
        return total;
    }

    /// <summary>
    /// Coefficient of variation of the request sizes of the whole session (first records of every connection):
    /// MCP's requests differ (discovery or initialize, lists, calls) even when each goes on its own connection.
    /// </summary>
    public static double RequestSpread(IReadOnlyList<TlsFlowSummary> flows, IReadOnlyList<int> session)
    {
        double n = 0, sum = 0, squares = 0;
        for (var m = 0; m < session.Count; m++)
        {
            var i = session[m];
            var records = flows[i].Records;
            for (var k = 0; k < records.Count; k++)
            {
                if (!IsRequest(records[k])) continue;
                n++;
                sum += records[k].Length;
                squares += (double)records[k].Length * records[k].Length;
            }
        }
        if (n < 2) return 0;
        var mean = sum / n;
        return Math.Min(5, Math.Sqrt(Math.Max(0, squares / n - mean * mean)) / mean);
    }

    /// <summary>An SSE or GET stream: at most one request, records from the server, held open.</summary>
    internal static bool IsStream(TlsFlowSummary flow, double minSeconds) =>
        flow.Shape.Requests <= 1 && flow.ServerRecords > 0
        && (flow.Shape.Last - flow.Start).TotalSeconds >= minSeconds;

    private static bool IsRequest(TlsRecordShape r) => r.FromClient && r.Length >= TlsShapeCounters.RequestMinLength;

    private static bool HasStream(IReadOnlyList<TlsFlowSummary> flows, IReadOnlyList<int> session, double minStream)
    {
        for (var m = 0; m < session.Count; m++)
        {
            var i = session[m];
            if (IsStream(flows[i], minStream)) return true;
        }
        return false;
    }

    /// <summary>The first request after <paramref name="after"/> on a non-stream connection, or MaxValue.</summary>
    private static DateTime NextRequest(
        IReadOnlyList<TlsFlowSummary> flows, IReadOnlyList<int> session, double minStream, DateTime after)
    {
        var next = DateTime.MaxValue;
        for (var m = 0; m < session.Count; m++)
        {
            var i = session[m];
            if (IsStream(flows[i], minStream)) continue;
            var records = flows[i].Records;
            for (var k = 0; k < records.Count; k++)
            {
                if (IsRequest(records[k]) && records[k].Time > after && records[k].Time < next) next = records[k].Time;
            }
        }
        return next;
    }

    private static bool StreamPushBetween(
        IReadOnlyList<TlsFlowSummary> flows, IReadOnlyList<int> session, double minStream, DateTime after,
        DateTime before)
    {
        for (var m = 0; m < session.Count; m++)
        {
            var i = session[m];
            if (!IsStream(flows[i], minStream)) continue;
            var records = flows[i].Records;
            var opened = false; // the stream's answer to its own request (headers, endpoint event) is no push
            for (var k = 0; k < records.Count; k++)
            {
                var r = records[k];
                if (r.FromClient) continue;
                if (!opened) { opened = true; continue; }
                if (r.Time > after && r.Time <= before) return true;
            }
        }
        return false;
    }
}
