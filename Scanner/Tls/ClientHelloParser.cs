using System.Text;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Scanner.Tls;

/// <summary>
/// Reads a ClientHello body (RFC 8446 4.1.2, after the 4-byte handshake header): version, random, session id,
/// cipher suites, extensions in order, SNI (0), ALPN (16), signature_algorithms (13), session_ticket (35) and
/// supported_versions (43). Every length is checked against its container; null means malformed.
/// </summary>
internal static class ClientHelloParser
{
    private const int MaxListed = 256;

    // Server names and ALPN values repeat across a client's connections; bounded whatever the wire sends.
    private static readonly RecentStrings ServerNames = new(slots: 1024, maxChars: 255);
    private static readonly RecentStrings Protocols = new(slots: 64, maxChars: 32);

    public static ClientHelloInfo? Parse(ReadOnlySpan<byte> hello)
    {
        var reader = new TlsReader(hello);
        if (!reader.TryU16(out int legacyVersion) || !reader.TryBytes(32, out var random)
            || !reader.TryVector8(out var sessionId) || !reader.TryVector16(out var suites) || !reader.TryVector8(out _))
            return null;
        var cipherSuites = U16List(suites);
        int highest = legacyVersion;
        string? sni = null;
        var alpn = new List<string>(2);
        byte[]? firstAlpn = null;
        var extensionTypes = new List<int>(24);
        var signatureAlgorithms = new List<int>(16);
        byte[] ticket = [];
        if (reader.TryVector16(out var extensions))
        {
            var ext = new TlsReader(extensions);
            while (ext.TryU16(out int type) && ext.TryVector16(out var body))
            {
                if (extensionTypes.Count < MaxListed) extensionTypes.Add(type);
                switch (type)
                {
                    case 0: sni ??= ServerName(body); break;
                    case 13: SignatureAlgorithms(body, signatureAlgorithms); break;
                    case 16: firstAlpn ??= Alpn(body, alpn); break;
                    case 35: ticket = body.ToArray(); break;
                    case 43: highest = SupportedVersions(body, highest); break;
                }
            }
        }
        return new ClientHelloInfo
        {
            LegacyVersion = legacyVersion, HighestVersion = highest, Random = random.ToArray(), SessionId = sessionId.ToArray(),
            CipherSuites = cipherSuites, Extensions = extensionTypes, SignatureAlgorithms = signatureAlgorithms,
            ServerName = sni, Alpn = alpn, FirstAlpn = firstAlpn, SessionTicket = ticket,
        };
    }

    private static List<int> U16List(ReadOnlySpan<byte> data)
    {
        var list = new List<int>(data.Length / 2);
        var reader = new TlsReader(data);
        while (list.Count < MaxListed && reader.TryU16(out int value)) list.Add(value);
        return list;
    }

    private static string? ServerName(ReadOnlySpan<byte> body)
    {
        var list = new TlsReader(body);
        if (!list.TryVector16(out var names)) return null;
        var entries = new TlsReader(names);
        while (entries.TryU8(out int nameType) && entries.TryVector16(out var name))
        {
            if (nameType == 0 && !name.IsEmpty) return HostName(name);
        }
        return null;
    }

    /// <summary>As <c>Encoding.ASCII.GetString(name).TrimEnd('.').ToLowerInvariant()</c> (a non-ASCII byte reads '?'),
    /// through <see cref="ServerNames"/>. The name's length is a 16-bit vector's, so longer ones go the old way.</summary>
    private static string HostName(ReadOnlySpan<byte> name)
    {
        if (name.Length > 255) return Encoding.ASCII.GetString(name).TrimEnd('.').ToLowerInvariant();
        Span<char> text = stackalloc char[255];
        int length = 0;
        foreach (byte b in name) text[length++] = b switch { >= (byte)'A' and <= (byte)'Z' => (char)(b | 0x20), < 0x80 => (char)b, _ => '?' };
        return ServerNames.Get(text[..length].TrimEnd('.'));
    }

    private static void SignatureAlgorithms(ReadOnlySpan<byte> body, List<int> output)
    {
        var list = new TlsReader(body);
        if (!list.TryVector16(out var schemes)) return;
        output.AddRange(U16List(schemes));
    }

    /// <summary>Adds each protocol name; returns the first one's raw bytes.</summary>
    internal static byte[]? Alpn(ReadOnlySpan<byte> body, List<string> output)
    {
        var list = new TlsReader(body);
        if (!list.TryVector16(out var protocols)) return null;
        var entries = new TlsReader(protocols);
        byte[]? first = null;
        while (entries.TryVector8(out var protocol) && output.Count < 16)
        {
            first ??= protocol.ToArray();
            output.Add(Protocols.FromUtf8(protocol));
        }
        return first;
    }

    private static int SupportedVersions(ReadOnlySpan<byte> body, int highest)
    {
        var list = new TlsReader(body);
        if (!list.TryVector8(out var versions)) return highest;
        var entries = new TlsReader(versions);
        int best = -1;
        while (entries.TryU16(out int version))
        {
            if (!TlsGrease.Is(version) && version > best) best = version;
        }
        return best < 0 ? highest : best;
    }
}
