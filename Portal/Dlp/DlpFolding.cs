using System.Globalization;
using System.Text;

namespace ShadowMcp.Portal.Dlp;

/// <summary>
/// Folds look-alike characters to what a detector expects before it matches: full-width forms and every
/// script's decimal digits to ASCII, Unicode spaces to ' ', dashes to '-', and zero-width/format characters
/// removed. This is the part of NFKC the detectors need; string.Normalize is a no-op under InvariantGlobalization.
/// One output char per kept input char (or surrogate pair), with a map back to the input for redaction.
/// </summary>
internal static class DlpFolding
{
    /// <param name="map">Receives, per output char, the index of the input char it came from (may be empty).</param>
    /// <returns>The number of chars written to <paramref name="output"/> (never more than the input length).</returns>
    public static int Fold(ReadOnlySpan<char> input, Span<char> output, Span<int> map)
    {
        var n = 0;
        for (var i = 0; i < input.Length; i++)
        {
            var c = input[i];
            var at = i;
            if (c < 0x80)
            {
                Put(c, at, output, map, ref n);
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < input.Length && char.IsLowSurrogate(input[i + 1]))
            {
                var folded = FoldAstral(char.ConvertToUtf32(c, input[++i]));
                if (folded != '\0') Put(folded, at, output, map, ref n);
                continue;
            }
            var f = FoldBmp(c);
            if (f != '\0') Put(f, at, output, map, ref n);
        }
        return n;
    }

    /// <summary>Whether folding would change <paramref name="text"/> (any non-ASCII char).</summary>
    public static bool NeedsFolding(ReadOnlySpan<char> text) => !Ascii.IsValid(text);

    private static void Put(char c, int at, Span<char> output, Span<int> map, ref int n)
    {
        output[n] = c;
        if (!map.IsEmpty) map[n] = at;
        n++;
    }

    private static char FoldBmp(char c)
    {
        if (c is >= '\uFF01' and <= '\uFF5E') return (char)(c - 0xFEE0); // full-width ASCII
        switch (CharUnicodeInfo.GetUnicodeCategory(c))
        {
            case UnicodeCategory.Format:
                return '\0'; // zero-width space/joiners, soft hyphen, BOM, bidi controls
            case UnicodeCategory.SpaceSeparator:
                return ' ';
            case UnicodeCategory.DashPunctuation:
                return '-';
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.OtherNumber:
                var d = CharUnicodeInfo.GetDigitValue(c); // also superscript and circled digits
                return d is >= 0 and <= 9 ? (char)('0' + d) : c;
        }
        return c switch
        {
            '\u2212' or '\u2043' => '-', // minus sign, hyphen bullet
            '\u2044' or '\u2215' => '/', // fraction and division slash
            '\u2024' or '\u00B7' or '\u2027' or '\u3002' => '.',
            _ => c,
        };
    }

    private static char FoldAstral(int codePoint)
    {
        if (CharUnicodeInfo.GetUnicodeCategory(codePoint) == UnicodeCategory.Format) return '\0'; // tag characters
        // Mathematical alphanumerics: 13 styles of A-Z a-z from U+1D400, then digits in 5 styles from U+1D7CE.
        if (codePoint is >= 0x1D400 and <= 0x1D6A3)
        {
            var k = (codePoint - 0x1D400) % 52;
            return (char)(k < 26 ? 'A' + k : 'a' + k - 26);
        }
        if (codePoint is >= 0x1D7CE and <= 0x1D7FF) return (char)('0' + (codePoint - 0x1D7CE) % 10);
        var rune = new Rune(codePoint);
        if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.DecimalDigitNumber && Rune.GetNumericValue(rune) is >= 0 and <= 9 and var v)
            return (char)('0' + (int)v);
        return '\uFFFD'; // any other astral char: kept as a placeholder so positions still map
    }
}
