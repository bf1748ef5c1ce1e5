namespace ShadowMcp.Scanner.Tls;

/// <summary>Receives a summary of every TLS connection when it closes (called on the scanning thread).</summary>
public interface ITlsFlowSink
{
    /// <summary>
    /// A TLS connection's ClientHello was read; <paramref name="summary"/> is the object later handed to
    /// <see cref="OnTlsFlow"/> and keeps filling until then. A live sensor uses it to know which sessions still
    /// have open connections; a file scan needs nothing here.
    /// </summary>
    void OnTlsFlowStarted(TlsFlowSummary summary) { }

    void OnTlsFlow(TlsFlowSummary summary);
}
