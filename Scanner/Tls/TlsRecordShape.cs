namespace ShadowMcp.Scanner.Tls;

/// <summary>One application-data record as seen on the wire: who sent it, its length with overhead, when.</summary>
/// <remarks>TLS 1.3 hides the real content type, so its encrypted handshake records count here too.</remarks>
public readonly record struct TlsRecordShape(bool FromClient, int Length, DateTime Time);
