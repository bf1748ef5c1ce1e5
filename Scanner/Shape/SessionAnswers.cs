using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Shape;

/// <summary>
/// How the size of each answer relates to its request, over a session's connections, from the flows' first records
/// with loops and stack spans only (no allocation). A JSON-RPC answer's size follows its request's method, not the
/// request's size: a small discovery or list request gets a large answer, a call's answer is whatever the tool
/// returns, a notification gets an empty 202. Where an application echoes what it was sent (a chat message pushed
/// back on the stream, a webhook's fixed 200, a poller's repeated answer) the ratio of answer to request stays the
/// same. Only ratios of sizes are used, never an absolute size or time.
/// </summary>
public static class SessionAnswers
{
    /// <summary>Most requests per session looked at; the flows keep only their first records anyway.</summary>
    private const int MaxRequests = 256;

    /// <summary>
    /// Standard deviation of log(answer / request) over the session's requests that were answered. A request's
    /// answer is every server byte that followed it on its own connection before that connection's next request,
    /// plus the pushes on the session's stream (<see cref="SessionPairing.IsStream"/>) before the session's next
    /// request: on the legacy HTTP+SSE transport the JSON-RPC answer arrives on the stream after the POST's 202.
    /// 0 with fewer than two answered requests.
    /// </summary>
    public static double AnswerRatioSpread(IReadOnlyList<TlsFlowSummary> flows, IReadOnlyList<int> session,
        double lifeSeconds)
    {
        var minStream = lifeSeconds / 2;
        double n = 0, sum = 0, squares = 0;
        for (var m = 0; m < session.Count; m++)
        {
            var flow = flows[session[m]];
            if (SessionPairing.IsStream(flow, minStream)) continue;
            var records = flow.Records;
            for (var k = 0; k < records.Count; k++)
            {
                if (!IsRequest(records[k])) continue;
                long answer = 0;
                for (var j = k + 1; j < records.Count && !IsRequest(records[j]); j++)
                {
                    if (!records[j].FromClient) answer += records[j].Length;
                }
                answer += StreamPushBytes(flows, session, minStream, records[k].Time,
                    NextRequest(flows, session, minStream, records[k].Time));
                if (answer == 0) continue;
                var ratio = Math.Log((answer + 1.0) / (records[k].Length + 1.0));
                n++;
                sum += ratio;
                squares += ratio * ratio;
            }
        }
        if (n < 2) return 0;
        var mean = sum / n;
        return Math.Min(5, Math.Sqrt(Math.Max(0, squares / n - mean * mean)));
    }

    /// <summary>
    /// The session's first request over its median request, log. A session of the initialize handshake opens with
    /// its largest request (client info and capabilities) and follows with small ones (the initialized
    /// notification, lists, a closing DELETE); on the 2026-07-28 sessionless protocol every request carries the
    /// protocol version and client info itself, so the first is like the rest. 0 with fewer than two requests.
    /// </summary>
    public static double FirstRequestRatio(IReadOnlyList<TlsFlowSummary> flows, IReadOnlyList<int> session)
    {
        Span<int> sizes = stackalloc int[MaxRequests];
        var n = 0;
        var first = 0;
        var firstTime = DateTime.MaxValue;
        for (var m = 0; m < session.Count; m++)
        {
            var records = flows[session[m]].Records;
            for (var k = 0; k < records.Count; k++)
            {
                if (!IsRequest(records[k])) continue;
                if (n < sizes.Length) sizes[n++] = records[k].Length;
                if (records[k].Time < firstTime) { firstTime = records[k].Time; first = records[k].Length; }
            }
        }
        if (n < 2) return 0;
        var used = sizes[..n];
        used.Sort();
        return Math.Log(first / (double)used[n / 2]);
    }

    private static bool IsRequest(TlsRecordShape r) => r.FromClient && r.Length >= TlsShapeCounters.RequestMinLength;

    /// <summary>The first request after <paramref name="after"/> on a connection that is not a stream, or MaxValue.</summary>
    private static DateTime NextRequest(
        IReadOnlyList<TlsFlowSummary> flows, IReadOnlyList<int> session, double minStream, DateTime after)
    {
        var next = DateTime.MaxValue;
        for (var m = 0; m < session.Count; m++)
        {
            var flow = flows[session[m]];
            if (SessionPairing.IsStream(flow, minStream)) continue;
            var records = flow.Records;
            for (var k = 0; k < records.Count; k++)
            {
                if (IsRequest(records[k]) && records[k].Time > after && records[k].Time < next) next = records[k].Time;
            }
        }
        return next;
    }

    /// <summary>Server bytes pushed on the session's streams in (after, before], not counting a stream's first record.</summary>
    private static long StreamPushBytes(IReadOnlyList<TlsFlowSummary> flows, IReadOnlyList<int> session,
        double minStream, DateTime after, DateTime before)
    {
        long bytes = 0;
        for (var m = 0; m < session.Count; m++)
        {
            var flow = flows[session[m]];
            if (!SessionPairing.IsStream(flow, minStream)) continue;
            var records = flow.Records;
            var opened = false; // the stream's answer to its own request (headers, endpoint event) is no push
            for (var k = 0; k < records.Count; k++)
            {
                var r = records[k];
                if (r.FromClient) continue;
                if (!opened) { opened = true; continue; }
                if (r.Time > after && r.Time <= before) bytes += r.Length;
            }
        }
        return bytes;
    }
}
