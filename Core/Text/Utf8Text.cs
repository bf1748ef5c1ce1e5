using System.Text;

namespace ShadowMcp.Core.Text;

/// <summary>Turns a bounded prefix of wire bytes into text without splitting a UTF-8 sequence.</summary>
public static class Utf8Text
{
    /// <summary>UTF-8 text of at most <paramref name="maxBytes"/> bytes; invalid bytes become U+FFFD.</summary>
    public static string Prefix(ReadOnlySpan<byte> bytes, int maxBytes)
    {
        if (bytes.Length > maxBytes) bytes = bytes[..BoundaryAtOrBefore(bytes, maxBytes)];
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The largest cut &lt;= max that does not fall inside a multi-byte sequence.</summary>
    public static int BoundaryAtOrBefore(ReadOnlySpan<byte> bytes, int max)
    {
        if (max >= bytes.Length) return bytes.Length;
        int cut = max;
        // Step back over at most three continuation bytes (10xxxxxx) to the lead byte.
        for (int i = 0; i < 3 && cut > 0 && (bytes[cut] & 0xC0) == 0x80; i++) cut--;
        return cut;
    }

    /// <summary>Cuts a string to at most maxChars without leaving half a surrogate pair.</summary>
    public static string Cut(string text, int maxChars)
    {
        if (text.Length <= maxChars) return text;
        int cut = maxChars;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1])) cut--;
        return text[..cut];
    }

    /// <summary>True when the first non-whitespace byte opens a JSON object or array.</summary>
    public static bool StartsLikeJson(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') continue;
            return b is (byte)'{' or (byte)'[';
        }
        return false;
    }
}
