using ShadowMcp.Core.Observations;

namespace ShadowMcp.Scanner.Sessions;

/// <summary>
/// The two ends of a TCP or UDP flow as the decoder saw them. The initiator sent the SYN (or, for a flow
/// picked up mid-stream, the first packet seen). Analyzers decide who is the client from the protocol itself
/// (the side that sends an HTTP request), so they may swap the roles when building a <see cref="FlowRef"/>.
/// </summary>
public sealed class FlowEndpoints(string initiator, int initiatorPort, string responder, int responderPort, string protocol)
{
    public string Initiator { get; } = initiator;
    public int InitiatorPort { get; } = initiatorPort;
    public string Responder { get; } = responder;
    public int ResponderPort { get; } = responderPort;
    /// <summary>"tcp" or "udp".</summary>
    public string Protocol { get; } = protocol;

    private FlowRef? _forward, _reverse;

    /// <summary>The flow as seen with the initiator as client (clientIsInitiator) or the responder as client.</summary>
    public FlowRef AsFlowRef(bool clientIsInitiator = true) => clientIsInitiator
        ? _forward ??= new FlowRef(Initiator, InitiatorPort, Responder, ResponderPort, Protocol)
        : _reverse ??= new FlowRef(Responder, ResponderPort, Initiator, InitiatorPort, Protocol);
}
