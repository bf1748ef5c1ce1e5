namespace ShadowMcp.Portal.Dlp;

/// <summary>
/// The string values of one JSON object or array, in order, joined twice: with a space and with nothing
/// between them, so a secret split across adjacent fields is seen whole. Numbers and property names are not
/// joined (arrays of years or ids would read as cards), and "nothing" is a space where two digits would touch.
/// The same rule serves the pre-scan (<see cref="DlpPrescan"/>) and the full walk (<see cref="DlpScanner"/>).
/// </summary>
internal static class DlpJoin
{
    /// <summary>Joined text beyond this many chars is not added (each field is still scanned on its own).</summary>
    public const int MaxChars = 64 * 1024;

    /// <summary>Whether an item of <paramref name="length"/> chars still joins after <paramref name="used"/> chars of items.</summary>
    public static string Separator(string separator, char previous, ReadOnlySpan<char> next) =>
        separator.Length == 0 && char.IsAsciiDigit(previous) && !next.IsEmpty && char.IsAsciiDigit(next[0]) ? " " : separator;

    public static bool Fits(int used, int length) => used + length <= MaxChars;
}
