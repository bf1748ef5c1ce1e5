namespace ShadowMcp.Scanner.Tls;

/// <summary>What a ServerHello chose: version, cipher suite, extensions (in order), ALPN and session id.</summary>
internal sealed class ServerHelloInfo
{
    /// <summary>supported_versions (43) when present, else the legacy version.</summary>
    public required int Version { get; init; }
    public required int CipherSuite { get; init; }
    public required byte[] Random { get; init; }
    public required byte[] SessionId { get; init; }
    public required List<int> Extensions { get; init; }
    /// <summary>The chosen ALPN protocol (ServerHello in TLS 1.2; EncryptedExtensions in TLS 1.3).</summary>
    public string? Alpn { get; set; }
    public byte[]? AlpnRaw { get; set; }
    /// <summary>A HelloRetryRequest (RFC 8446 4.1.3): a ServerHello whose random is a fixed value.</summary>
    public bool IsHelloRetryRequest { get; init; }
}
