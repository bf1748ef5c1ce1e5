using System.Security.Cryptography;
using System.Text;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Scanner.Tls;

/// <summary>
/// JA4 (client) and JA4S (server) TLS fingerprints exactly as FoxIO defines them
/// (github.com/FoxIO-LLC/ja4, technical_details/JA4.md and JA4S.md), for TLS over TCP ("t").
/// </summary>
/// <remarks>Built in stack buffers: the lists, their hex text and the hashes cost no allocation, and the
/// fingerprint itself (the same for every connection of one TLS stack) comes from a small table of recent ones.</remarks>
internal static class Ja4
{
    private const string Empty = "000000000000";

    // A list holds at most 256 values (the parser's limit): 4 hex digits and a comma each.
    private const int MaxListed = 256;
    private const int MaxListText = MaxListed * 5;

    private static readonly RecentStrings Fingerprints = new(slots: 256, maxChars: 64);

    /// <summary>t13d1516h2_8daaf6152771_e5627efa2ab1: version, SNI, counts, ALPN; sorted ciphers; sorted extensions + sigalgs.</summary>
    public static string Client(ClientHelloInfo hello)
    {
        Span<int> ciphers = Buffer(hello.CipherSuites.Count, stackalloc int[MaxListed]);
        Span<int> hashed = Buffer(hello.Extensions.Count, stackalloc int[MaxListed]);
        Span<int> algorithms = Buffer(hello.SignatureAlgorithms.Count, stackalloc int[MaxListed]);
        int nc = NonGrease(hello.CipherSuites, ciphers);
        int ne = 0, nh = 0;
        foreach (int e in hello.Extensions)
        {
            if (TlsGrease.Is(e)) continue;
            ne++;
            if (e is not 0x0000 and not 0x0010) hashed[nh++] = e;
        }
        int na = NonGrease(hello.SignatureAlgorithms, algorithms);

        Span<char> text = stackalloc char[40];
        int n = 0;
        text[n++] = 't';
        n += Write(text[n..], TlsVersions.Ja4Code(hello.HighestVersion));
        text[n++] = hello.Extensions.Contains(0) ? 'd' : 'i';
        n += WriteCount(text[n..], nc);
        n += WriteCount(text[n..], ne);
        n += WriteAlpnCode(text[n..], hello.FirstAlpn);
        text[n++] = '_';

        int longest = Math.Max(nc, nh + 1 + na) * 5;
        Span<byte> list = longest <= 2 * MaxListText + 1 ? stackalloc byte[2 * MaxListText + 1] : new byte[longest];
        var sorted = ciphers[..nc];
        sorted.Sort();
        n += nc == 0 ? Write(text[n..], Empty) : WriteHash12(text[n..], list[..WriteHexList(list, sorted)]);
        text[n++] = '_';

        if (nh == 0)
        {
            n += Write(text[n..], Empty);
        }
        else
        {
            var extensions = hashed[..nh];
            extensions.Sort();
            int length = WriteHexList(list, extensions);
            if (na > 0)
            {
                list[length++] = (byte)'_';
                length += WriteHexList(list[length..], algorithms[..na]);
            }
            n += WriteHash12(text[n..], list[..length]);
        }
        return Fingerprints.Get(text[..n]);
    }

    /// <summary>t120400_c030_4e8089b08790: version, extension count, ALPN; chosen cipher; extensions in order.</summary>
    public static string Server(ServerHelloInfo hello)
    {
        Span<int> extensions = Buffer(hello.Extensions.Count, stackalloc int[MaxListed]);
        int ne = NonGrease(hello.Extensions, extensions);
        Span<char> text = stackalloc char[40];
        int n = 0;
        text[n++] = 't';
        n += Write(text[n..], TlsVersions.Ja4Code(hello.Version));
        n += WriteCount(text[n..], ne);
        n += WriteAlpnCode(text[n..], hello.AlpnRaw);
        text[n++] = '_';
        n += WriteHex4(text[n..], hello.CipherSuite);
        text[n++] = '_';
        if (ne == 0) n += Write(text[n..], Empty);
        else
        {
            Span<byte> list = ne <= MaxListed ? stackalloc byte[MaxListText] : new byte[ne * 5];
            n += WriteHash12(text[n..], list[..WriteHexList(list, extensions[..ne])]);
        }
        return Fingerprints.Get(text[..n]);
    }

    /// <summary>First and last character of the first ALPN value; its hex digits when either byte is not alphanumeric.</summary>
    internal static string AlpnCode(byte[]? alpn)
    {
        Span<char> code = stackalloc char[2];
        return new string(code[..WriteAlpnCode(code, alpn)]);
    }

    internal static string Hash12(string text)
    {
        Span<char> hash = stackalloc char[12];
        WriteHash12(hash, Encoding.ASCII.GetBytes(text));
        return new string(hash);
    }

    /// <summary>The stack buffer, or an array when a list is longer (the parser caps most lists; not a repeated
    /// signature_algorithms extension).</summary>
    private static Span<int> Buffer(int count, Span<int> stack) => count <= stack.Length ? stack : new int[count];

    private static int NonGrease(List<int> values, Span<int> into)
    {
        int n = 0;
        foreach (int v in values)
        {
            if (!TlsGrease.Is(v)) into[n++] = v;
        }
        return n;
    }

    private static int Write(Span<char> into, string text)
    {
        text.CopyTo(into);
        return text.Length;
    }

    private static int WriteCount(Span<char> into, int count)
    {
        count = Math.Min(count, 99);
        into[0] = (char)('0' + count / 10);
        into[1] = (char)('0' + count % 10);
        return 2;
    }

    private static int WriteAlpnCode(Span<char> into, byte[]? alpn)
    {
        if (alpn is null || alpn.Length == 0)
        {
            into[0] = into[1] = '0';
            return 2;
        }
        byte first = alpn[0], last = alpn[^1];
        if (IsAlphanumeric(first) && IsAlphanumeric(last))
        {
            into[0] = (char)first;
            into[1] = (char)last;
        }
        else
        {
            // The first and last digits of the whole value in hex: the first byte's high nibble, the last's low one.
            into[0] = HexDigit(first >> 4);
            into[1] = HexDigit(last & 0xF);
        }
        return 2;
    }

    private static bool IsAlphanumeric(byte b) => b is >= 0x30 and <= 0x39 or >= 0x41 and <= 0x5A or >= 0x61 and <= 0x7A;

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    private static int WriteHex4(Span<char> into, int value)
    {
        for (int i = 0; i < 4; i++) into[i] = HexDigit((value >> (12 - 4 * i)) & 0xF);
        return 4;
    }

    /// <summary>The values as four lower-case hex digits each, comma-separated, in ASCII.</summary>
    private static int WriteHexList(Span<byte> into, ReadOnlySpan<int> values)
    {
        int n = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) into[n++] = (byte)',';
            for (int k = 0; k < 4; k++) into[n++] = (byte)HexDigit((values[i] >> (12 - 4 * k)) & 0xF);
        }
        return n;
    }

    /// <summary>The first 12 lower-case hex digits of the text's SHA-256.</summary>
    private static int WriteHash12(Span<char> into, ReadOnlySpan<byte> ascii)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(ascii, hash);
        for (int i = 0; i < 6; i++)
        {
            into[2 * i] = HexDigit(hash[i] >> 4);
            into[2 * i + 1] = HexDigit(hash[i] & 0xF);
        }
        return 12;
    }
}
