using System.Globalization;
using System.Security.Cryptography;
using System.Text;

using ShadowMcp.Scanner.Tls;

namespace ShadowMcp.Scanner.Tests.Tls;

/// <summary>
/// The first JA4 implementation (string and LINQ based, 2026-12-06), kept as the reference the allocation-free
/// <see cref="Ja4"/> must equal on every ClientHello and ServerHello.
/// </summary>
internal static class Ja4Reference
{
    private const string Empty = "000000000000";

    /// <summary>t13d1516h2_8daaf6152771_e5627efa2ab1: version, SNI, counts, ALPN; sorted ciphers; sorted extensions + sigalgs.</summary>
    public static string Client(ClientHelloInfo hello)
    {
        var ciphers = hello.CipherSuites.Where(c => !TlsGrease.Is(c)).ToList();
        var extensions = hello.Extensions.Where(e => !TlsGrease.Is(e)).ToList();
        var a = new StringBuilder(10).Append('t').Append(TlsVersions.Ja4Code(hello.HighestVersion))
            .Append(hello.Extensions.Contains(0) ? 'd' : 'i')
            .Append(Count(ciphers.Count)).Append(Count(extensions.Count)).Append(AlpnCode(hello.FirstAlpn));

        ciphers.Sort();
        string b = ciphers.Count == 0 ? Empty : Hash12(HexList(ciphers));

        var hashed = extensions.Where(e => e is not 0x0000 and not 0x0010).ToList();
        hashed.Sort();
        string c = Empty;
        if (hashed.Count > 0)
        {
            string text = HexList(hashed);
            var algorithms = hello.SignatureAlgorithms.Where(s => !TlsGrease.Is(s)).ToList();
            if (algorithms.Count > 0) text += "_" + HexList(algorithms);
            c = Hash12(text);
        }
        return $"{a}_{b}_{c}";
    }

    /// <summary>t120400_c030_4e8089b08790: version, extension count, ALPN; chosen cipher; extensions in order.</summary>
    public static string Server(ServerHelloInfo hello)
    {
        var extensions = hello.Extensions.Where(e => !TlsGrease.Is(e)).ToList();
        string a = "t" + TlsVersions.Ja4Code(hello.Version) + Count(extensions.Count) + AlpnCode(hello.AlpnRaw);
        string c = extensions.Count == 0 ? Empty : Hash12(HexList(extensions));
        return $"{a}_{Hex4(hello.CipherSuite)}_{c}";
    }

    private static string Count(int count) => Math.Min(count, 99).ToString("00", CultureInfo.InvariantCulture);

    /// <summary>First and last character of the first ALPN value; its hex digits when either byte is not alphanumeric.</summary>
    internal static string AlpnCode(byte[]? alpn)
    {
        if (alpn is null || alpn.Length == 0) return "00";
        byte first = alpn[0], last = alpn[^1];
        if (IsAlphanumeric(first) && IsAlphanumeric(last)) return $"{(char)first}{(char)last}";
        string hex = Convert.ToHexStringLower(alpn);
        return $"{hex[0]}{hex[^1]}";
    }

    private static bool IsAlphanumeric(byte b) => b is >= 0x30 and <= 0x39 or >= 0x41 and <= 0x5A or >= 0x61 and <= 0x7A;

    private static string Hex4(int value) => value.ToString("x4", CultureInfo.InvariantCulture);

    private static string HexList(List<int> values) => string.Join(',', values.Select(Hex4));

    internal static string Hash12(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(text)))[..12];
}
