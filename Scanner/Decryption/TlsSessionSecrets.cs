namespace ShadowMcp.Scanner.Decryption;

/// <summary>The secrets a key log holds for one client random (NSS key log format).</summary>
internal sealed class TlsSessionSecrets
{
    /// <summary>TLS 1.2 and earlier: CLIENT_RANDOM's 48-byte master secret.</summary>
    public byte[]? MasterSecret { get; set; }
    public byte[]? ClientHandshakeTrafficSecret { get; set; }
    public byte[]? ServerHandshakeTrafficSecret { get; set; }
    public byte[]? ClientTrafficSecret0 { get; set; }
    public byte[]? ServerTrafficSecret0 { get; set; }
}
