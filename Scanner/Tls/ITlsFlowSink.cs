namespace ShadowMcp.Scanner.Tls;

/// <summary>Receives a summary of every TLS connection when it closes (called on the scanning thread).</summary>
public interface ITlsFlowSink
{
    void OnTlsFlow(TlsFlowSummary summary);
}
