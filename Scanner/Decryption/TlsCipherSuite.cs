using System.Security.Cryptography;

namespace ShadowMcp.Scanner.Decryption;

/// <summary>The AEAD cipher suites the decryptor supports, with their key sizes and handshake hash.</summary>
internal sealed record TlsCipherSuite(int Id, string Name, TlsAeadKind Aead, int KeyLength, HashAlgorithmName Hash)
{
    private static readonly Dictionary<int, TlsCipherSuite> Known = new TlsCipherSuite[]
    {
        new(0x1301, "TLS_AES_128_GCM_SHA256", TlsAeadKind.AesGcm, 16, HashAlgorithmName.SHA256),
        new(0x1302, "TLS_AES_256_GCM_SHA384", TlsAeadKind.AesGcm, 32, HashAlgorithmName.SHA384),
        new(0x1303, "TLS_CHACHA20_POLY1305_SHA256", TlsAeadKind.ChaCha20Poly1305, 32, HashAlgorithmName.SHA256),
        new(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", TlsAeadKind.AesGcm, 16, HashAlgorithmName.SHA256),
        new(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", TlsAeadKind.AesGcm, 32, HashAlgorithmName.SHA384),
        new(0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", TlsAeadKind.AesGcm, 16, HashAlgorithmName.SHA256),
        new(0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", TlsAeadKind.AesGcm, 32, HashAlgorithmName.SHA384),
        new(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", TlsAeadKind.AesGcm, 16, HashAlgorithmName.SHA256),
        new(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", TlsAeadKind.AesGcm, 32, HashAlgorithmName.SHA384),
        new(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", TlsAeadKind.AesGcm, 16, HashAlgorithmName.SHA256),
        new(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", TlsAeadKind.AesGcm, 32, HashAlgorithmName.SHA384),
        new(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", TlsAeadKind.ChaCha20Poly1305, 32, HashAlgorithmName.SHA256),
        new(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", TlsAeadKind.ChaCha20Poly1305, 32, HashAlgorithmName.SHA256),
        new(0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", TlsAeadKind.ChaCha20Poly1305, 32, HashAlgorithmName.SHA256),
    }.ToDictionary(s => s.Id);

    public static TlsCipherSuite? Find(int id) => Known.GetValueOrDefault(id);

    /// <summary>The IANA name of a supported suite, else its number as 0x-hex.</summary>
    public static string NameOf(int id) => Find(id)?.Name ?? $"0x{id:x4}";
}

internal enum TlsAeadKind
{
    AesGcm,
    ChaCha20Poly1305,
}
