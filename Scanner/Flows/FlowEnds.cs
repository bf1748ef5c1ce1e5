namespace ShadowMcp.Scanner.Flows;

/// <summary>
/// A flow's 5-tuple with its two ends in a fixed order, so the observations' view (client, server) and the flow
/// table's (initiator, responder) find the same flow whichever side each calls the client. A struct over the
/// strings the flow already holds: no key text is built per observation.
/// </summary>
internal readonly record struct FlowEnds(string A, int APort, string B, int BPort, string Protocol)
{
    public static FlowEnds Of(string a, int aPort, string b, int bPort, string protocol)
    {
        var order = string.CompareOrdinal(a, b);
        return order < 0 || (order == 0 && aPort <= bPort)
            ? new FlowEnds(a, aPort, b, bPort, protocol)
            : new FlowEnds(b, bPort, a, aPort, protocol);
    }
}
