using System.Buffers;
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
        int requestCount = 0, pushCount = 0;
        var hasStream = false;
        for (var m = 0; m < session.Count; m++)
        {
            var flow = flows[session[m]];
            if (IsStream(flow, minStream))
            {
                hasStream = true;
                pushCount += Math.Max(0, ServerRecords(flow) - 1);
            }
            else requestCount += Requests(flow);
        }
        if (requestCount == 0 || !hasStream) return 0;

        // Sorted request and push times, then per request a binary search for the next request and the first push
        // after it: a sort instead of a loop over the session per request.
        var rentedRequests = ArrayPool<long>.Shared.Rent(requestCount);
        var rentedPushes = ArrayPool<long>.Shared.Rent(Math.Max(1, pushCount));
        try
        {
            var requests = rentedRequests.AsSpan(0, requestCount);
            var pushes = rentedPushes.AsSpan(0, pushCount);
            int r = 0, p = 0;
            for (var m = 0; m < session.Count; m++)
            {
                var flow = flows[session[m]];
                var records = flow.Records;
                if (IsStream(flow, minStream))
                {
                    var opened = false; // the stream's answer to its own request (headers, endpoint event) is no push
                    for (var k = 0; k < records.Count; k++)
                    {
                        if (records[k].FromClient) continue;
                        if (!opened) { opened = true; continue; }
                        pushes[p++] = records[k].Time.Ticks;
                    }
                }
                else
                {
                    for (var k = 0; k < records.Count; k++)
                        if (IsRequest(records[k])) requests[r++] = records[k].Time.Ticks;
                }
            }
            requests.Sort();
            pushes.Sort();
            var pushed = 0;
            foreach (var at in requests)
            {
                var nextIndex = SortedTicks.AtOrBelow(requests, at);
                var next = nextIndex < requests.Length ? requests[nextIndex] : long.MaxValue;
                var pushIndex = SortedTicks.AtOrBelow(pushes, at);
                if (pushIndex < pushes.Length && pushes[pushIndex] <= next) pushed++;
            }
            return pushed / (double)requestCount;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(rentedRequests);
            ArrayPool<long>.Shared.Return(rentedPushes);
        }
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

    private static int Requests(TlsFlowSummary flow)
    {
        var count = 0;
        var records = flow.Records;
        for (var k = 0; k < records.Count; k++)
            if (IsRequest(records[k])) count++;
        return count;
    }

    private static int ServerRecords(TlsFlowSummary flow)
    {
        var count = 0;
        var records = flow.Records;
        for (var k = 0; k < records.Count; k++)
            if (!records[k].FromClient) count++;
        return count;
    }
}
