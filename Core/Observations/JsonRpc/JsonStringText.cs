using System.Text;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Core.Observations.JsonRpc;

/// <summary>
/// Text of a JSON string token cut to a number of chars, reading only a bounded prefix of the raw bytes: a 1 MB
/// string costs the same as a 600-byte one. Invalid UTF-8 becomes U+FFFD instead of throwing.
/// </summary>
internal static class JsonStringText
{
    public static string Read(ReadOnlySpan<byte> raw, bool escaped, int maxChars)
    {
        // A char needs at most 4 UTF-8 bytes, or 6 escaped bytes (\uXXXX); one more char tells us to cut.
        int maxRaw = (maxChars + 1) * (escaped ? 6 : 4);
        if (raw.Length > maxRaw) raw = raw[..(escaped ? maxRaw : Utf8Text.BoundaryAtOrBefore(raw, maxRaw))];
        if (!escaped) return Utf8Text.Cut(Encoding.UTF8.GetString(raw), maxChars);

        // Unescaping never grows the bytes: \uXXXX (6) gives at most 3, a surrogate pair (12) gives 4.
        Span<byte> buffer = raw.Length <= 4096 ? stackalloc byte[raw.Length] : new byte[raw.Length];
        int length = Unescape(raw, buffer);
        return Utf8Text.Cut(Encoding.UTF8.GetString(buffer[..length]), maxChars);
    }

    /// <summary>Decodes JSON escapes into UTF-8; an escape cut off at the end of the input is dropped.</summary>
    private static int Unescape(ReadOnlySpan<byte> raw, Span<byte> output)
    {
        int o = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            byte b = raw[i];
            if (b != (byte)'\\') { output[o++] = b; continue; }
            if (i + 1 >= raw.Length) break;
            byte e = raw[++i];
            switch (e)
            {
                case (byte)'n': output[o++] = (byte)'\n'; break;
                case (byte)'r': output[o++] = (byte)'\r'; break;
                case (byte)'t': output[o++] = (byte)'\t'; break;
                case (byte)'b': output[o++] = (byte)'\b'; break;
                case (byte)'f': output[o++] = (byte)'\f'; break;
                case (byte)'u':
                    if (!TryHex4(raw, i + 1, out int unit)) return o;
                    i += 4;
                    int scalar = unit;
                    if (char.IsHighSurrogate((char)unit) && i + 6 < raw.Length && raw[i + 1] == (byte)'\\'
                        && raw[i + 2] == (byte)'u' && TryHex4(raw, i + 3, out int low) && char.IsLowSurrogate((char)low))
                    {
                        scalar = char.ConvertToUtf32((char)unit, (char)low);
                        i += 6;
                    }
                    else if (char.IsSurrogate((char)unit)) scalar = 0xFFFD;
                    o += new Rune(scalar).EncodeToUtf8(output[o..]);
                    break;
                default: output[o++] = e; break; // \" \\ \/
            }
        }
        return o;
    }

    private static bool TryHex4(ReadOnlySpan<byte> raw, int start, out int value)
    {
        value = 0;
        if (start + 4 > raw.Length) return false;
        for (int k = 0; k < 4; k++)
        {
            int d = raw[start + k] switch
            {
                >= (byte)'0' and <= (byte)'9' and var c => c - '0',
                >= (byte)'a' and <= (byte)'f' and var c => c - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' and var c => c - 'A' + 10,
                _ => -1,
            };
            if (d < 0) return false;
            value = value * 16 + d;
        }
        return true;
    }
}
