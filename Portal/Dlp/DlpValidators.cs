using System.Text;
using System.Text.Json;

namespace ShadowMcp.Portal.Dlp;

/// <summary>Checksums and shape checks that turn a pattern hit into a real finding.</summary>
internal static class DlpValidators
{
    /// <summary>Card numbers: 13 to 19 digits passing the Luhn check, not all the same digit.</summary>
    public static bool Luhn(string candidate)
    {
        Span<byte> digits = stackalloc byte[19];
        var n = 0;
        foreach (var c in candidate)
        {
            if (!char.IsAsciiDigit(c)) continue;
            if (n == 19) return false;
            digits[n++] = (byte)(c - '0');
        }
        return n >= 13 && Luhn(digits[..n]);
    }

    public static bool Luhn(ReadOnlySpan<byte> digits)
    {
        if (digits.IndexOfAnyExcept(digits[0]) < 0) return false;
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i];
            if (i % 2 == 1) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /// <summary>
    /// IBAN in any case, with spaces or dashes: the country's length decides how many characters belong to it,
    /// the account part must be mostly digits, and the mod-97 remainder must be 1.
    /// </summary>
    /// <returns>The length of the IBAN within <paramref name="candidate"/> (separators included), or 0.</returns>
    public static int IbanLength(ReadOnlySpan<char> candidate)
    {
        Span<char> iban = stackalloc char[34];
        var n = 0;
        var end = 0;
        var expected = 0;
        for (var k = 0; k < candidate.Length; k++)
        {
            var c = candidate[k];
            if (c is ' ' or '-') continue;
            iban[n++] = char.ToUpperInvariant(c);
            if (n == 2 && (expected = DlpIbanCountries.Length(iban[..2])) == 0) return 0;
            if (n == expected) { end = k + 1; break; }
        }
        if (expected == 0 || n != expected) return 0;
        var bban = iban[4..n];
        var letters = 0;
        foreach (var c in bban) if (!char.IsAsciiDigit(c)) letters++;
        if (letters * 2 > bban.Length || (letters > 0 && DlpIbanCountries.DigitsOnly(iban[..2]))) return 0;
        var remainder = 0;
        for (var k = 0; k < n; k++)
        {
            var c = iban[(k + 4) % n];
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
        }
        return remainder == 1 ? end : 0;
    }

    /// <summary>IBAN: the whole candidate must be one valid IBAN.</summary>
    public static bool IbanMod97(string candidate) =>
        IbanLength(candidate) is var length and > 0 && candidate[length..].Trim().Length == 0;

    /// <summary>
    /// A 40-char base64-ish token is an AWS secret only with context (an "aws"/"secret" word or an access key id
    /// in the text, its field name, or a neighbouring field) and mixed upper, lower and digits (not a hex digest).
    /// Without context it cannot be told from 30 random bytes in base64, which tool results are full of.
    /// </summary>
    public static bool AwsSecret(ReadOnlySpan<char> token, bool context)
    {
        if (!context) return false;
        int upper = 0, lower = 0, digit = 0;
        foreach (var c in token)
        {
            if (char.IsAsciiLetterUpper(c)) upper++;
            else if (char.IsAsciiLetterLower(c)) lower++;
            else if (char.IsAsciiDigit(c)) digit++;
        }
        return upper > 0 && lower > 0 && digit > 0;
    }

    /// <summary>A JWT's first segment must decode to a JSON object with an "alg".</summary>
    public static bool JwtHeader(string candidate)
    {
        var header = candidate[..candidate.IndexOf('.')];
        try
        {
            var padded = header.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(padded)));
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("alg", out _);
        }
        catch (Exception e) when (e is FormatException or JsonException) { return false; }
    }
}
