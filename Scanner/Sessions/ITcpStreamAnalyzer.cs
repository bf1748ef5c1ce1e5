namespace ShadowMcp.Scanner.Sessions;

/// <summary>
/// Receives one TCP connection's bytes, in order, per direction, from the reassembler. Implementations keep
/// their own parse state and emit observations to the sink they were created with. They must never throw
/// for bad input: a protocol violation makes the analyzer stop (or resync) and count it.
/// </summary>
public interface ITcpStreamAnalyzer
{
    /// <param name="fromInitiator">True when the bytes travel from the flow's initiator to its responder.</param>
    /// <param name="data">In-order payload; valid only during the call.</param>
    /// <param name="time">Capture time of the segment, UTC.</param>
    void OnData(bool fromInitiator, ReadOnlySpan<byte> data, DateTime time);

    /// <summary>Bytes in one direction were lost (capture loss, memory limit). The stream continues after them.</summary>
    void OnGap(bool fromInitiator, long missingBytes, DateTime time);

    /// <summary>The connection ended (FIN/RST both ways, idle eviction, or end of capture). Flush what is complete.</summary>
    void OnClose(DateTime time);

    /// <summary>
    /// False once the analyzer has nothing more to learn from this connection (e.g. a TLS flow after its
    /// ClientHello). The reassembler then stops buffering the flow, so later packets cost only a table lookup.
    /// </summary>
    bool WantsMoreData { get; }
}
