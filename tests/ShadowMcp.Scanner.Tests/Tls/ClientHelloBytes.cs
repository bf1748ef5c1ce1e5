using System.Text;

namespace ShadowMcp.Scanner.Tests.Tls;

/// <summary>Builds TLS ClientHello records by hand for the tests.</summary>
internal static class ClientHelloBytes
{
    public static byte[] Hello(string? sni, string[] alpn, int[]? supportedVersions, int legacyVersion = 0x0303)
    {
        var extensions = new List<byte>();
        Extension(extensions, 0x0A0A, []); // GREASE
        if (sni is not null)
        {
            var name = Encoding.ASCII.GetBytes(sni);
            Extension(extensions, 0, [.. U16(name.Length + 3), 0, .. U16(name.Length), .. name]);
        }
        if (alpn.Length > 0)
        {
            var list = alpn.SelectMany(p => new[] { (byte)p.Length }.Concat(Encoding.ASCII.GetBytes(p))).ToArray();
            Extension(extensions, 16, [.. U16(list.Length), .. list]);
        }
        if (supportedVersions is not null)
        {
            var versions = supportedVersions.SelectMany(U16).ToArray();
            Extension(extensions, 43, [(byte)versions.Length, .. versions]);
        }
        Extension(extensions, 10, [0, 2, 0, 0x1d]); // supported_groups, ignored

        byte[] body =
        [
            .. U16(legacyVersion), .. new byte[32], 32, .. Enumerable.Repeat((byte)7, 32),
            .. U16(4), 0x13, 0x01, 0xC0, 0x2F, 1, 0, .. U16(extensions.Count), .. extensions,
        ];
        return [1, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];
    }

    /// <summary>The handshake message in one record, or in records of at most <paramref name="fragment"/> bytes.</summary>
    public static byte[] Records(byte[] handshake, int fragment = 16384)
    {
        var output = new List<byte>();
        for (int at = 0; at < handshake.Length; at += fragment)
        {
            var part = handshake[at..Math.Min(handshake.Length, at + fragment)];
            output.AddRange([0x16, 0x03, 0x01, .. U16(part.Length), .. part]);
        }
        return [.. output];
    }

    public static byte[] Typical() =>
        Records(Hello("MCP.Example.COM", ["h2", "http/1.1"], [0x1A1A, 0x0304, 0x0303]));

    private static void Extension(List<byte> output, int type, byte[] data)
    {
        output.AddRange(U16(type));
        output.AddRange(U16(data.Length));
        output.AddRange(data);
    }

    private static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];
}
