namespace ShadowMcp.Scanner.Dns;

/// <summary>
/// DNS message ids as field text, one string per id made the first time it is seen: every DNS message carries one,
/// and a string per message would be garbage on the packet path. At most 65,536 strings (about 2 MB).
/// </summary>
internal static class DnsIds
{
    private static readonly string?[] Texts = new string?[ushort.MaxValue + 1];

    // A race makes two equal strings at worst; either one is right.
    public static string Of(ushort id) => Texts[id] ??= id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
