namespace ShadowMcp.Scanner.Shape;

/// <summary>
/// Where a flow sits among its client's other flows to the same server (see <see cref="ShapeSessions"/>):
/// how many flows the session had, how many ran at once, whether another flow ran beside this one, how much of
/// the session's life this flow spans, whether the session's flows ended together (a teardown), and the smallest
/// last-request ratio of its flows (<see cref="ShapeFeatures.LastRequestRatio"/>: below zero when some connection
/// ended with a smaller request than it carried, as MCP's closing DELETE).
/// </summary>
/// <param name="MaxPairs">Most request/response pairs on one connection of the session.</param>
/// <param name="PushStream">
/// A connection with at most one request held open over most of the session beside a connection with at least two
/// pairs: Streamable HTTP's standalone GET stream beside its POSTs, or the legacy transport's SSE stream.
/// </param>
/// <param name="StartedTogether">Flows that started within a second of the session's first.</param>
/// <param name="FinalRequestRatio">
/// The session's last request (on whichever connection) over that connection's median request, log: the teardown.
/// </param>
/// <param name="FinalAnswerRatio">That request's answer over the connection's median server record, log.</param>
/// <param name="BytesRatio">Server bytes over client bytes of the whole session, log.</param>
/// <param name="PushPerRequest">
/// Fraction of requests followed by a push on the session's stream before the next request
/// (<see cref="SessionPairing.PushPerRequest"/>): the legacy HTTP+SSE transport's answers.
/// </param>
/// <param name="TotalPairs">Request/response pairs over all the session's connections.</param>
/// <param name="RequestSpread">Spread of the request sizes over all the session's connections.</param>
public readonly record struct SessionShape(
    int Flows, int MaxParallel, bool Beside, double Cover, bool EndedTogether, double MinLastRequestRatio = 0,
    int MaxPairs = 0, bool PushStream = false, int StartedTogether = 1, double FinalRequestRatio = 0,
    double FinalAnswerRatio = 0, double BytesRatio = 0, double PushPerRequest = 0, int TotalPairs = 0,
    double RequestSpread = 0)
{
    public static SessionShape Alone => new(1, 1, false, 1, false);
}
