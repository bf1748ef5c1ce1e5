namespace ShadowMcp.Scanner.Sessions;

/// <summary>
/// One flow's volume and times. The initiator sent the SYN (or, picked up mid-stream, the first packet seen).
/// Bytes are transport payload bytes.
/// </summary>
public sealed record FlowSummary(
    string Initiator, int InitiatorPort, string Responder, int ResponderPort, string Protocol,
    DateTime Start, DateTime End,
    long PacketsFromInitiator, long BytesFromInitiator, long PacketsFromResponder, long BytesFromResponder);
