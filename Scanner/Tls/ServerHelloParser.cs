namespace ShadowMcp.Scanner.Tls;

/// <summary>
/// Reads a ServerHello body (RFC 8446 4.1.3): version (supported_versions wins), random, session id, the chosen
/// cipher suite, extensions in order and, in TLS 1.2, the chosen ALPN. Null means malformed.
/// </summary>
internal static class ServerHelloParser
{
    /// <summary>SHA-256("HelloRetryRequest"), the random of a HelloRetryRequest.</summary>
    private static ReadOnlySpan<byte> RetryRandom =>
    [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ];

    public static ServerHelloInfo? Parse(ReadOnlySpan<byte> hello)
    {
        var reader = new TlsReader(hello);
        if (!reader.TryU16(out int legacyVersion) || !reader.TryBytes(32, out var random)
            || !reader.TryVector8(out var sessionId) || !reader.TryU16(out int suite) || !reader.TryU8(out _))
            return null;
        int version = legacyVersion;
        var types = new List<int>(8);
        var alpn = new List<string>(1);
        byte[]? alpnRaw = null;
        if (reader.TryVector16(out var extensions))
        {
            var ext = new TlsReader(extensions);
            while (ext.TryU16(out int type) && ext.TryVector16(out var body))
            {
                if (types.Count < 64) types.Add(type);
                if (type == 43 && body.Length >= 2) version = (body[0] << 8) | body[1];
                else if (type == 16) alpnRaw ??= ClientHelloParser.Alpn(body, alpn);
            }
        }
        return new ServerHelloInfo
        {
            Version = version, CipherSuite = suite, Random = random.ToArray(), SessionId = sessionId.ToArray(),
            Extensions = types, Alpn = alpn.Count > 0 ? alpn[0] : null, AlpnRaw = alpnRaw,
            IsHelloRetryRequest = random.SequenceEqual(RetryRandom),
        };
    }

    /// <summary>Reads the chosen ALPN from a TLS 1.3 EncryptedExtensions body into <paramref name="server"/>.</summary>
    public static void ReadEncryptedExtensions(ReadOnlySpan<byte> body, ServerHelloInfo server)
    {
        var reader = new TlsReader(body);
        if (!reader.TryVector16(out var extensions)) return;
        var ext = new TlsReader(extensions);
        var alpn = new List<string>(1);
        while (ext.TryU16(out int type) && ext.TryVector16(out var data))
        {
            if (type != 16) continue;
            server.AlpnRaw = ClientHelloParser.Alpn(data, alpn);
            server.Alpn = alpn.Count > 0 ? alpn[0] : null;
            return;
        }
    }
}
