using System.Text;
using System.Text.Json;

namespace ShadowMcp.Portal.Dlp;

/// <summary>Checksums that turn a pattern hit into a real finding.</summary>
internal static class DlpValidators
{
    /// <summary>Card numbers: 13 to 19 digits passing the Luhn check.</summary>
    public static bool Luhn(string candidate)
    {
        var digits = candidate.Where(char.IsAsciiDigit).Select(c => c - '0').ToArray();
        if (digits.Length is < 13 or > 19 || digits.All(d => d == digits[0])) return false;
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i];
            if (i % 2 == 1) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /// <summary>IBAN: move the first four characters to the end, letters to 10..35, remainder mod 97 must be 1.</summary>
    public static bool IbanMod97(string candidate)
    {
        var iban = candidate.Replace(" ", "", StringComparison.Ordinal);
        if (iban.Length is < 15 or > 34) return false;
        var rearranged = iban[4..] + iban[..4];
        var remainder = 0;
        foreach (var c in rearranged)
        {
            int value;
            if (char.IsAsciiDigit(c)) value = c - '0';
            else if (char.IsAsciiLetterUpper(c)) value = c - 'A' + 10;
            else return false;
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
        }
        return remainder == 1;
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
