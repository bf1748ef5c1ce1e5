namespace ShadowMcp.Scanner.Tls;

/// <summary>What a ClientHello offers: enough for the observation, JA4 and finding the session's keys.</summary>
internal sealed class ClientHelloInfo
{
    public required int LegacyVersion { get; init; }
    /// <summary>Highest non-GREASE supported_versions entry, else the legacy version.</summary>
    public required int HighestVersion { get; init; }
    public required byte[] Random { get; init; }
    public required byte[] SessionId { get; init; }
    /// <summary>Cipher suites in wire order, GREASE included.</summary>
    public required List<int> CipherSuites { get; init; }
    /// <summary>Extension types in wire order, GREASE included.</summary>
    public required List<int> Extensions { get; init; }
    /// <summary>signature_algorithms (13) in wire order, GREASE included.</summary>
    public required List<int> SignatureAlgorithms { get; init; }
    public string? ServerName { get; init; }
    public required List<string> Alpn { get; init; }
    /// <summary>The first ALPN protocol's raw bytes (JA4 looks at its first and last byte).</summary>
    public byte[]? FirstAlpn { get; init; }
    /// <summary>The session_ticket (35) extension's data, empty when absent or empty.</summary>
    public required byte[] SessionTicket { get; init; }
}
