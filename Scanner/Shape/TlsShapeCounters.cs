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
    private bool _lastFromClient;

    internal void Add(bool fromClient, DateTime time)
    {
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
