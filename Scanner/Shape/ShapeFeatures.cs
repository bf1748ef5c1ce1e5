using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Shape;

/// <summary>
/// The feature vector of one TLS flow, from what TLS leaves visible, kept to what follows from how MCP works rather
/// than from the tools that made a corpus: no absolute sizes, durations or gaps (they depend on the tool's results,
/// the host's speed and the agent's think time), only ratios, spreads, pair counts and the session's layout.
/// Writes into a caller's span and allocates nothing; the order here is the order of the model file's features
/// (<see cref="Names"/>). The session's flow count, most flows at once, a flow's share of the session's life and
/// whether the flows ended together are in <see cref="SessionShape"/> but not features: they describe a client's
/// connection pool, and a model trained on one client's pool took the other client's MCP for a look-alike
/// (docs/shape-classifier.md).
/// </summary>
public static class ShapeFeatures
{
    public static readonly string[] Names =
    [
        "tls13", "alpn_h2", "log_bytes_ratio", "log_request_answer_ratio", "answered_fraction",
        "server_records_per_client_record", "log_pairs", "pair_ratio", "log_server_turns", "server_size_spread",
        "request_spread", "log_last_request_ratio", "log_last_answer_ratio", "session_min_last_request_ratio", "session_log_max_pairs", "session_push_stream", "session_started_together",
        "session_final_request_ratio", "session_final_answer_ratio", "session_log_bytes_ratio",
        "answer_spread", "session_push_per_request", "session_log_total_pairs", "session_request_spread",
    ];

    public static int Count => Names.Length;

    /// <summary>Fills <paramref name="into"/> (length at least <see cref="Count"/>) for one flow.</summary>
    public static void Compute(TlsFlowSummary flow, in SessionShape session, Span<float> into)
    {
        if (into.Length < Names.Length) throw new ArgumentException($"needs {Names.Length} slots", nameof(into));
        var shape = flow.Shape;
        Span<int> clientSizes = stackalloc int[64];
        Span<int> requests = stackalloc int[64];
        Span<int> serverSizes = stackalloc int[64];
        Span<int> answers = stackalloc int[64];
        int nc = 0, ns = 0, nr = 0, na = 0;
        var awaiting = false;
        var records = flow.Records;
        for (var k = 0; k < records.Count; k++)
        {
            var r = records[k];
            if (r.FromClient)
            {
                if (nc < clientSizes.Length) clientSizes[nc++] = r.Length;
                if (r.Length >= TlsShapeCounters.RequestMinLength && nr < requests.Length)
                {
                    requests[nr++] = r.Length;
                    awaiting = true;
                }
            }
            else
            {
                if (ns < serverSizes.Length) serverSizes[ns++] = r.Length;
                if (awaiting && na < answers.Length) answers[na++] = r.Length;
                awaiting = false;
            }
        }
        var requestSpread = Spread(requests[..nr]);
        var serverSpread = Spread(serverSizes[..ns]);
        var medianRequest = Median(requests[..nr]);
        var medianServer = Median(serverSizes[..ns]);
        var i = 0;
        into[i++] = flow.Version == "1.3" ? 1 : 0;
        into[i++] = flow.AlpnChosen == "h2" ? 1 : 0;
        into[i++] = (float)(Math.Log(flow.ServerRecordBytes + 1.0) - Math.Log(flow.ClientRecordBytes + 1.0));
        into[i++] = (float)(Math.Log(medianServer + 1) - Math.Log(medianRequest + 1));
        into[i++] = flow.ClientRecords == 0 ? 0 : (float)Math.Min(1, shape.Answers / (double)flow.ClientRecords);
        into[i++] = (float)Math.Min(20, flow.ServerRecords / (flow.ClientRecords + 1.0));
        into[i++] = Log(shape.Pairs);
        into[i++] = shape.Requests == 0 ? 0 : (float)(shape.Pairs / (double)shape.Requests);
        into[i++] = Log(shape.ServerTurns);
        into[i++] = serverSpread;
        into[i++] = requestSpread;
        into[i++] = (float)LastRequestRatio(shape, medianRequest);
        into[i++] = (float)AnswerRatio(shape.LastAnswerLength, medianServer);
        into[i++] = (float)session.MinLastRequestRatio;
        into[i++] = Log(session.MaxPairs);
        into[i++] = session.PushStream ? 1 : 0;
        into[i++] = Math.Min(8, session.StartedTogether);
        into[i++] = (float)session.FinalRequestRatio;
        into[i++] = (float)session.FinalAnswerRatio;
        into[i++] = (float)session.BytesRatio;
        into[i++] = Spread(answers[..na]);
        into[i++] = (float)session.PushPerRequest;
        into[i++] = Log(session.TotalPairs);
        into[i] = (float)session.RequestSpread;
    }

    /// <summary>
    /// The last request of a connection over its median request and that request's answer over its median server
    /// record, both log: a session that ends with a short exchange (a bodyless DELETE answered without a body)
    /// gives both below zero.
    /// </summary>
    internal static (double Request, double Answer) FinalExchangeRatios(TlsFlowSummary flow)
    {
        Span<int> requests = stackalloc int[64];
        Span<int> server = stackalloc int[64];
        int nr = 0, ns = 0;
        var records = flow.Records;
        for (var k = 0; k < records.Count; k++)
        {
            if (records[k].FromClient)
            {
                if (records[k].Length >= TlsShapeCounters.RequestMinLength && nr < requests.Length)
                    requests[nr++] = records[k].Length;
            }
            else if (ns < server.Length)
            {
                server[ns++] = records[k].Length;
            }
        }
        return (LastRequestRatio(flow.Shape, Median(requests[..nr])),
            AnswerRatio(flow.Shape.LastAnswerLength, Median(server[..ns])));
    }

    private static double AnswerRatio(int answer, double medianServer) =>
        medianServer <= 0 ? 0 : Math.Log(answer + 1.0) - Math.Log(medianServer + 1);

    /// <summary>
    /// Log of the last request's size over the median request's (first records): below zero when a connection ends
    /// with a smaller request than it carried, as MCP's closing DELETE (no body) after its POSTs.
    /// </summary>
    internal static double LastRequestRatio(TlsFlowSummary flow)
    {
        Span<int> requests = stackalloc int[64];
        var n = 0;
        var records = flow.Records;
        for (var k = 0; k < records.Count && n < requests.Length; k++)
        {
            if (records[k].FromClient && records[k].Length >= TlsShapeCounters.RequestMinLength)
                requests[n++] = records[k].Length;
        }
        return LastRequestRatio(flow.Shape, Median(requests[..n]));
    }

    private static double LastRequestRatio(in TlsShapeCounters shape, double medianRequest) =>
        shape.LastRequestLength == 0 || medianRequest <= 0 ? 0 : Math.Log(shape.LastRequestLength / medianRequest);

    private static float Log(double value) => (float)Math.Log(1 + Math.Max(0, value));

    /// <summary>Median of a small stack span (at most 64 values), sorted in place.</summary>
    private static double Median(Span<int> values)
    {
        if (values.Length == 0) return 0;
        values.Sort();
        return values[values.Length / 2];
    }

    /// <summary>Coefficient of variation of the sizes: SSE events vary, bulk transfer records are all full.</summary>
    private static float Spread(ReadOnlySpan<int> values)
    {
        if (values.Length < 2) return 0;
        double sum = 0, squares = 0;
        foreach (var v in values) { sum += v; squares += (double)v * v; }
        var mean = sum / values.Length;
        var variance = Math.Max(0, squares / values.Length - mean * mean);
        return mean <= 0 ? 0 : (float)Math.Min(5, Math.Sqrt(variance) / mean);
    }
}
