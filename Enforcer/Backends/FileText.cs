using System.Text;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>A file's bytes as text and back without losing a UTF-8 byte order mark.</summary>
internal readonly record struct FileText(string Text, bool Bom)
{
    private static readonly byte[] Preamble = [0xEF, 0xBB, 0xBF];

    public static FileText? From(byte[]? bytes)
    {
        if (bytes is null) return null;
        var bom = bytes.AsSpan().StartsWith(Preamble);
        return new FileText(Encoding.UTF8.GetString(bom ? bytes.AsSpan(3) : bytes), bom);
    }

    public static byte[] ToBytes(string text, bool bom) =>
        bom ? [.. Preamble, .. Encoding.UTF8.GetBytes(text)] : Encoding.UTF8.GetBytes(text);
}
