namespace ShadowMcp.Scanner.Shape;

/// <summary>
/// Fixed-size counters over every application-data record of a TLS connection (the first records are kept
/// one by one in <see cref="Tls.TlsFlowSummary.Records"/>; these cover the rest of its life without growing).
/// A "turn" is a record after at least <see cref="IdleGapSeconds"/> of silence both ways: a server turn is
/// a push on an idle connection (an SSE event, a keep-alive comment), a client turn is a new request after
/// think time.
/// </summary>
public struct TlsShapeCounters
{
    /// <summary>Silence after which a record starts a new turn: above an answer's latency, below think time.</summary>
    public const double IdleGapSeconds = 0.5;

    public DateTime First { get; private set; }
    public DateTime Last { get; private set; }
    public int ServerTurns { get; private set; }
    public int ClientTurns { get; private set; }
    /// <summary>Server records that directly follow a client record: answers.</summary>
    public int Answers { get; private set; }
    public double MaxGapSeconds { get; private set; }
    /// <summary>
    /// Length of the last client record of at least <see cref="RequestMinLength"/> bytes: a connection's last
    /// request. MCP ends a session with a DELETE, a request without a body, smaller than the POSTs before it.
    /// </summary>
    public int LastRequestLength { get; private set; }
    /// <summary>Length of the first server record after that last request: its answer (0 when none).</summary>
    public int LastAnswerLength { get; private set; }
    /// <summary>Smallest client record of at least <see cref="RequestMinLength"/> bytes: the floor of a request.</summary>
    public int MinRequestLength { get; private set; }
    /// <summary>Client records of at least <see cref="RequestMinLength"/> bytes: requests.</summary>
    public int Requests { get; private set; }
    /// <summary>
    /// Requests the server answered before the client's next request: request/response pairs. JSON-RPC pairs
    /// every request with a response, so an MCP session's connection carries several (initialize, the
    /// initialized notification's 202, calls); a beacon, a download or a stream carries one.
    /// </summary>
    public int Pairs { get; private set; }
    /// <summary>When the last request (<see cref="LastRequestLength"/>) was sent: which connection spoke last.</summary>
    public DateTime LastRequestTime { get; private set; }
    /// <summary>
    /// Client records shorter than this are not requests: TLS 1.3's Finished and alerts, HTTP/2 control frames.
    /// </summary>
    public const int RequestMinLength = 100;
    private bool _lastFromClient;
    private bool _awaitingAnswer;

    internal void Add(bool fromClient, int length, DateTime time)
    {
        if (fromClient && length >= RequestMinLength)
        {
            LastRequestLength = length;
            LastRequestTime = time;
            LastAnswerLength = 0;
            Requests++;
            _awaitingAnswer = true;
            if (MinRequestLength == 0 || length < MinRequestLength) MinRequestLength = length;
        }
        else if (!fromClient && _awaitingAnswer)
        {
            LastAnswerLength = length;
            _awaitingAnswer = false;
            Pairs++;
        }
        if (First == default)
        {
            First = Last = time;
            _lastFromClient = fromClient;
            return;
        }
        var gap = (time - Last).TotalSeconds;
        if (gap > MaxGapSeconds) MaxGapSeconds = gap;
        if (gap >= IdleGapSeconds)
        {
            if (fromClient) ClientTurns++;
            else ServerTurns++;
        }
        if (!fromClient && _lastFromClient) Answers++;
        _lastFromClient = fromClient;
        Last = time;
    }
}
