using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Shape;

/// <summary>
/// The feature vector of one TLS flow, from what TLS leaves visible: record sizes, directions and timing of
/// the first records each way, whole-life turn counters, volumes, version and ALPN, and its session context.
/// Writes into a caller's span and allocates nothing. Sizes and counts are log-scaled so one huge download
/// does not dominate; the order here is the order of the model file's weights (<see cref="Names"/>).
/// </summary>
public static class ShapeFeatures
{
    public static readonly string[] Names =
    [
        "log_lifetime_s", "log_client_records", "log_server_records", "log_client_bytes", "log_server_bytes",
        "log_bytes_ratio", "tls13", "alpn_h2", "log_client_median_record", "log_server_median_record",
        "log_client_first_records_max", "answered_fraction", "server_turns_per_min", "log_server_turns",
        "log_client_turns", "log_max_gap_s", "log_client_median_gap_ms", "server_records_per_client_record",
        "server_size_spread", "session_log_flows", "session_max_parallel", "session_beside", "session_cover",
        "session_ended_together", "log_last_request_ratio", "log_last_answer", "log_min_request", "request_spread",
        "session_min_last_request_ratio",
    ];

    public static int Count => Names.Length;

    /// <summary>Fills <paramref name="into"/> (length at least <see cref="Count"/>) for one flow.</summary>
    public static void Compute(TlsFlowSummary flow, in SessionShape session, Span<float> into)
    {
        if (into.Length < Names.Length) throw new ArgumentException($"needs {Names.Length} slots", nameof(into));
        var shape = flow.Shape;
        var life = shape.Last > flow.Start ? (shape.Last - flow.Start).TotalSeconds : 0;
        Span<int> clientSizes = stackalloc int[64];
        Span<int> requests = stackalloc int[64];
        Span<int> serverSizes = stackalloc int[64];
        Span<double> clientGaps = stackalloc double[64];
        int nc = 0, ns = 0, ng = 0, nr = 0, clientMax = 0;
        DateTime lastClient = default;
        var records = flow.Records;
        for (var k = 0; k < records.Count; k++)
        {
            var r = records[k];
            if (r.FromClient)
            {
                if (nc < clientSizes.Length) clientSizes[nc++] = r.Length;
                if (r.Length >= TlsShapeCounters.RequestMinLength && nr < requests.Length) requests[nr++] = r.Length;
                if (nc <= 8 && r.Length > clientMax) clientMax = r.Length;
                if (lastClient != default && ng < clientGaps.Length)
                    clientGaps[ng++] = (r.Time - lastClient).TotalMilliseconds;
                lastClient = r.Time;
            }
            else if (ns < serverSizes.Length)
            {
                serverSizes[ns++] = r.Length;
            }
        }
        var i = 0;
        into[i++] = Log(life);
        into[i++] = Log(flow.ClientRecords);
        into[i++] = Log(flow.ServerRecords);
        into[i++] = Log(flow.ClientRecordBytes);
        into[i++] = Log(flow.ServerRecordBytes);
        into[i++] = (float)(Math.Log(flow.ServerRecordBytes + 1.0) - Math.Log(flow.ClientRecordBytes + 1.0));
        into[i++] = flow.Version == "1.3" ? 1 : 0;
        into[i++] = flow.AlpnChosen == "h2" ? 1 : 0;
        into[i++] = Log(Median(clientSizes[..nc]));
        into[i++] = Log(Median(serverSizes[..ns]));
        into[i++] = Log(clientMax);
        into[i++] = flow.ClientRecords == 0 ? 0 : (float)Math.Min(1, shape.Answers / (double)flow.ClientRecords);
        into[i++] = life <= 0 ? 0 : (float)Math.Min(60, shape.ServerTurns / life * 60);
        into[i++] = Log(shape.ServerTurns);
        into[i++] = Log(shape.ClientTurns);
        into[i++] = Log(shape.MaxGapSeconds);
        into[i++] = Log(Median(clientGaps[..ng]));
        into[i++] = (float)Math.Min(20, flow.ServerRecords / (flow.ClientRecords + 1.0));
        into[i++] = Spread(serverSizes[..ns]);
        into[i++] = Log(session.Flows);
        into[i++] = Math.Min(8, session.MaxParallel);
        into[i++] = session.Beside ? 1 : 0;
        into[i++] = (float)session.Cover;
        into[i++] = session.EndedTogether ? 1 : 0;
        var requestSpread = Spread(requests[..nr]);
        into[i++] = (float)LastRequestRatio(shape, Median(requests[..nr]));
        into[i++] = Log(shape.LastAnswerLength);
        into[i++] = Log(shape.MinRequestLength);
        into[i++] = requestSpread;
        into[i] = (float)session.MinLastRequestRatio;
    }

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

    private static double Median(Span<double> values)
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
