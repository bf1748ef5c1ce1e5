namespace ShadowMcp.Scanner.Sessions;

/// <summary>
/// Picks the analyzer for a new TCP connection by looking at its first payload bytes and ports (HTTP request
/// or response line, TLS handshake record, DNS over TCP on port 53). Returning null marks the flow as not
/// interesting: the reassembler then drops its payloads without buffering.
/// </summary>
public interface IAnalyzerFactory
{
    ITcpStreamAnalyzer? CreateTcp(FlowEndpoints endpoints, bool fromInitiator, ReadOnlySpan<byte> firstPayload);

    /// <summary>
    /// The analyzer for decrypted TLS application data whose protocol the handshake negotiated
    /// (<paramref name="alpn"/>: "h2", "http/1.1", or null when none was chosen). The negotiated protocol is a fact,
    /// so a factory should trust it over sniffing; the default ignores it and sniffs.
    /// </summary>
    ITcpStreamAnalyzer? CreateTcp(FlowEndpoints endpoints, bool fromInitiator, ReadOnlySpan<byte> firstPayload, string? alpn) =>
        CreateTcp(endpoints, fromInitiator, firstPayload);

    /// <summary>The analyzer for a UDP datagram on these ports, or null to ignore it.</summary>
    IDatagramAnalyzer? ForUdp(int sourcePort, int destinationPort);
}
