namespace ShadowMcp.Portal.Dlp;

/// <summary>
/// Cards and US SSNs in folded text. A run is digit groups joined by up to three separators (space, dot, slash,
/// dash); every group-aligned window is tried, so a card followed by a CVV, an expiry or a stray digit, or one
/// touching a dash, is still found. Cards: 13-19 digits in a card-like grouping, a plausible issuer digit and
/// the Luhn check. SSNs: 3-2-4 with one separator and the range rules, or 9 bare digits with "SSN" context.
/// </summary>
internal static class DlpDigitRuns
{
    public const string Card = "card-number";
    public const string Ssn = "us-ssn";
    private const int MaxGroups = 24;

    /// <summary>Reports each finding to <paramref name="found"/>; stops early when it returns false.</summary>
    public static bool Scan(ReadOnlySpan<char> text, bool ssnContext, DlpFindings? found)
    {
        Span<int> starts = stackalloc int[MaxGroups];
        Span<int> lengths = stackalloc int[MaxGroups];
        var i = 0;
        var any = false;
        Extent token = default, uuid = default;
        while (i < text.Length)
        {
            if (!char.IsAsciiDigit(text[i])) { i++; continue; }
            // Digits inside a hex digest or id (a SHA, a hash in a URL) are not a number: skip the whole token.
            if (InHexToken(text, i, ref token)) { i = token.End; continue; }
            // A UUID's dash groups can be all digits and pass Luhn by chance (about one random UUID in a few hundred).
            if (InUuid(text, i, ref uuid)) { i = uuid.End; continue; }
            // Collect one run of groups.
            var groups = 0;
            var pos = i;
            while (true)
            {
                var start = pos;
                while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++;
                if (groups < MaxGroups) { starts[groups] = start; lengths[groups] = pos - start; groups++; }
                var sep = pos;
                while (sep < text.Length && sep - pos < 3 && IsSeparator(text[sep])) sep++;
                if (sep == pos || sep >= text.Length || !char.IsAsciiDigit(text[sep]) || groups == MaxGroups) break;
                if (InHexToken(text, sep, ref token) || InUuid(text, sep, ref uuid)) break;
                pos = sep;
            }
            if (Run(text, starts[..groups], lengths[..groups], ssnContext, found)) { any = true; if (found is null) return true; }
            i = pos;
        }
        return any;
    }

    /// <summary>
    /// A token's extent and verdict, kept while the scan is inside it. Measuring the token again for each of its
    /// digits was quadratic: 56 K letters with a digit every 20 (AWS key ids glued together) took 1.5 s.
    /// </summary>
    private record struct Extent(int Start, int End, bool Yes)
    {
        public readonly bool Holds(int at) => at >= Start && at < End;
    }

    /// <summary>Whether position <paramref name="at"/> sits in a 16+ char alphanumeric token of hex with a letter.</summary>
    private static bool InHexToken(ReadOnlySpan<char> text, int at, ref Extent seen)
    {
        if (seen.Holds(at)) return seen.Yes;
        var start = at;
        while (start > 0 && char.IsAsciiLetterOrDigit(text[start - 1])) start--;
        var end = at;
        while (end < text.Length && char.IsAsciiLetterOrDigit(text[end])) end++;
        var token = text[start..end];
        seen = new Extent(start, end, token.Length >= 16 && !token.ContainsAnyExcept(HexDigits) && token.ContainsAnyExcept(Digits));
        return seen.Yes;
    }

    /// <summary>Whether position <paramref name="at"/> sits in a UUID (8-4-4-4-12 hex digits), the whole of a
    /// run of hex digits and dashes.</summary>
    private static bool InUuid(ReadOnlySpan<char> text, int at, ref Extent seen)
    {
        if (seen.Holds(at)) return seen.Yes;
        var start = at;
        while (start > 0 && IsHexOrDash(text[start - 1])) start--;
        var end = at;
        while (end < text.Length && IsHexOrDash(text[end])) end++;
        seen = new Extent(start, end, IsUuid(text[start..end]));
        return seen.Yes;
    }

    private static bool IsUuid(ReadOnlySpan<char> token)
    {
        if (token.Length != 36) return false;
        for (var k = 0; k < token.Length; k++)
        {
            var dash = k is 8 or 13 or 18 or 23;
            if (dash != (token[k] == '-')) return false;
        }
        return true;
    }

    private static bool IsHexOrDash(char c) => c == '-' || char.IsAsciiHexDigit(c);

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly System.Buffers.SearchValues<char> Digits = System.Buffers.SearchValues.Create("0123456789");

    private static bool IsSeparator(char c) => c is ' ' or '.' or '-' or '/';

    private static bool Run(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, bool ssnContext,
        DlpFindings? found)
    {
        var any = false;
        Span<byte> digits = stackalloc byte[19];
        for (var first = 0; first < starts.Length; first++)
        {
            var last = CardEndingAt(text, starts, lengths, first, digits);
            if (last < 0) continue;
            any = true;
            if (found is null) return true;
            var end = last == first && lengths[first] == 17 ? starts[first] + 17 : starts[last] + lengths[last];
            found.Add(Card, starts[first], end - starts[first]);
            first = last; // no second, overlapping report from inside this card
        }
        for (var g = 0; g < starts.Length; g++)
        {
            var separated = g + 2 < starts.Length && lengths[g] == 3 && lengths[g + 1] == 2 && lengths[g + 2] == 4
                && SsnSeparators(text, starts, lengths, g);
            var bare = ssnContext && lengths[g] == 9;
            if (!separated && !bare) continue;
            var end = bare ? starts[g] + 9 : starts[g + 2] + 4;
            if (!SsnRanges(text, starts[g], end)) continue;
            any = true;
            if (found is null) return true;
            found.Add(Ssn, starts[g], end - starts[g]);
        }
        return any;
    }

    /// <returns>The last group of a card starting at group <paramref name="first"/>, or -1.</returns>
    private static int CardEndingAt(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, int first,
        Span<byte> digits)
    {
        var total = 0;
        for (var last = first; last < starts.Length; last++)
        {
            total += lengths[last];
            if (total > 19) break;
            if (total >= 13 && CardGrouping(lengths[first..(last + 1)]) && IsCard(text, starts[first], starts[last] + lengths[last], digits))
                return last;
        }
        // A card with one stray digit stuck to its end: 17 digits whose first 16 are a card.
        return lengths[first] == 17 && IsCard(text, starts[first], starts[first] + 16, digits) ? first : -1;
    }

    /// <summary>One group of 13-19, or equal groups with a shorter last one (4-4-4-4, 4-4-4-4-3, 2-2-...), or 4-6-5/4-6-4.</summary>
    private static bool CardGrouping(ReadOnlySpan<int> lengths)
    {
        if (lengths.Length == 1) return true;
        if (lengths.Length == 3 && lengths[0] == 4 && lengths[1] == 6 && lengths[2] is 4 or 5) return true;
        var size = lengths[0];
        if (size > 8) return false;
        for (var k = 1; k < lengths.Length - 1; k++) if (lengths[k] != size) return false;
        return lengths[^1] <= size;
    }

    private static bool IsCard(ReadOnlySpan<char> text, int start, int end, Span<byte> digits)
    {
        var n = 0;
        for (var k = start; k < end; k++)
        {
            if (!char.IsAsciiDigit(text[k])) continue;
            if (n == 19) return false;
            digits[n++] = (byte)(text[k] - '0');
        }
        if (n is < 13 or > 19) return false;
        // Issuers: 2 (Mastercard, Mir), 3 (Amex, Diners, JCB), 4 (Visa), 5, 6 (Discover, UnionPay, Maestro, RuPay).
        if (digits[0] is < 2 or > 6) return false;
        return DlpValidators.Luhn(digits[..n]);
    }

    private static bool SsnSeparators(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, int g)
    {
        var sep1 = text[(starts[g] + 3)..starts[g + 1]];
        var sep2 = text[(starts[g + 1] + 2)..starts[g + 2]];
        if (!sep1.SequenceEqual(sep2)) return false;
        // Part of a longer chain with the same separator (a 4-part id, a date-like sequence): not an SSN.
        if (g > 0 && text[(starts[g - 1] + lengths[g - 1])..starts[g]].SequenceEqual(sep1)) return false;
        if (g + 3 < starts.Length && text[(starts[g + 2] + 4)..starts[g + 3]].SequenceEqual(sep1)) return false;
        return true;
    }

    /// <summary>Area not 000, 666 or 9xx; group not 00; serial not 0000.</summary>
    private static bool SsnRanges(ReadOnlySpan<char> text, int start, int end)
    {
        Span<char> d = stackalloc char[9];
        var n = 0;
        for (var k = start; k < end && n < 9; k++) if (char.IsAsciiDigit(text[k])) d[n++] = text[k];
        if (n != 9) return false;
        if (d[..3] is "000" or "666" || d[0] == '9') return false;
        return d[3..5] is not "00" && d[5..] is not "0000";
    }
}
