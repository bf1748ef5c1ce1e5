using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Dns;

/// <summary>Parses one DNS message and emits it with the querier as client, for UDP and TCP alike.</summary>
internal static class DnsObservations
{
    public static void Emit(ObservationEmitter emitter, FlowEndpoints endpoints, bool fromInitiator, ReadOnlySpan<byte> message, DateTime time)
    {
        var fields = emitter.Fields(8);
        if (!DnsMessageParser.Parse(message, fields, out bool isResponse))
        {
            emitter.Discard(fields);
            emitter.Counters.DnsMalformed++;
            return;
        }
        // A query comes from the client; a response goes to it.
        bool clientIsInitiator = isResponse ? !fromInitiator : fromInitiator;
        emitter.Emit(ObservationKinds.Dns, endpoints.AsFlowRef(clientIsInitiator), time, fields);
    }
}
