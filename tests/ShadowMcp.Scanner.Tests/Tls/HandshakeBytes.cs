using System.Text;

namespace ShadowMcp.Scanner.Tests.Tls;

/// <summary>Builds ClientHello and ServerHello handshake messages with exactly the listed ciphers and extensions.</summary>
internal static class HandshakeBytes
{
    /// <summary>A ClientHello; extensions 0 (SNI), 13 (signature algorithms), 16 (ALPN) and 43 get real bodies.</summary>
    public static byte[] ClientHello(int[] ciphers, int[] extensions, string? sni, string[] alpn, int[] signatureAlgorithms,
        int[] versions)
    {
        var ext = new List<byte>();
        foreach (var type in extensions)
        {
            byte[] body = type switch
            {
                0 when sni is not null => SniBody(sni),
                13 => [.. U16(signatureAlgorithms.Length * 2), .. signatureAlgorithms.SelectMany(U16)],
                16 => AlpnBody(alpn),
                43 => [(byte)(versions.Length * 2), .. versions.SelectMany(U16)],
                _ => [],
            };
            ext.AddRange([.. U16(type), .. U16(body.Length), .. body]);
        }
        byte[] hello =
        [
            3, 3, .. Enumerable.Range(0, 32).Select(i => (byte)i), 0,
            .. U16(ciphers.Length * 2), .. ciphers.SelectMany(U16), 1, 0, .. U16(ext.Count), .. ext,
        ];
        return Message(1, hello);
    }

    public static byte[] ServerHello(int version, int cipher, int[] extensions, string? alpn = null)
    {
        var ext = new List<byte>();
        foreach (var type in extensions)
        {
            byte[] body = type switch
            {
                16 => AlpnBody(alpn is null ? [] : [alpn]),
                43 => U16(0x0304),
                _ => [],
            };
            ext.AddRange([.. U16(type), .. U16(body.Length), .. body]);
        }
        byte[] hello = [.. U16(version), .. Enumerable.Repeat((byte)0x5A, 32), 0, .. U16(cipher), 0, .. U16(ext.Count), .. ext];
        return Message(2, hello);
    }

    public static byte[] Record(byte type, byte[] body) => [type, 3, 3, .. U16(body.Length), .. body];

    private static byte[] Message(byte type, byte[] body) =>
        [type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    private static byte[] SniBody(string sni)
    {
        var name = Encoding.ASCII.GetBytes(sni);
        return [.. U16(name.Length + 3), 0, .. U16(name.Length), .. name];
    }

    private static byte[] AlpnBody(string[] alpn)
    {
        var list = alpn.SelectMany(p => new[] { (byte)p.Length }.Concat(Encoding.ASCII.GetBytes(p))).ToArray();
        return [.. U16(list.Length), .. list];
    }

    public static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];
}
