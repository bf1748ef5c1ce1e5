namespace ShadowMcp.Scanner.Tls;

/// <summary>TLS record content types (RFC 8446 5.1).</summary>
internal static class TlsContentType
{
    public const byte ChangeCipherSpec = 20;
    public const byte Alert = 21;
    public const byte Handshake = 22;
    public const byte ApplicationData = 23;
    public const byte Heartbeat = 24;
}
