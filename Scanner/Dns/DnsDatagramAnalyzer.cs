using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Dns;

/// <summary>DNS over UDP: one message per datagram. Stateless, so one instance serves every flow.</summary>
internal sealed class DnsDatagramAnalyzer(ObservationEmitter emitter) : IDatagramAnalyzer
{
    public void OnDatagram(FlowEndpoints endpoints, bool fromInitiator, ReadOnlySpan<byte> payload, DateTime time) =>
        DnsObservations.Emit(emitter, endpoints, fromInitiator, payload, time);
}
