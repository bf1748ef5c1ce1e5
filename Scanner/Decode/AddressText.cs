namespace ShadowMcp.Scanner.Decode;

/// <summary>
/// The text of addresses flows were seen with, per thread and bounded: every new flow names its two ends, and on a
/// busy segment the same clients and servers open flow after flow, so an address is formatted (an IPAddress and a
/// string) once instead of per flow. Past <see cref="MaxEntries"/> addresses, new ones are formatted as before.
/// A table of its own, not the shared string table: a scan of many addresses must not crowd out field names.
/// </summary>
internal static class AddressText
{
    public const int MaxEntries = 4096;

    [ThreadStatic] private static Dictionary<IpAddress, string>? t_texts;

    public static string Of(IpAddress address)
    {
        var texts = t_texts ??= new Dictionary<IpAddress, string>(256);
        if (texts.TryGetValue(address, out var text)) return text;
        text = address.ToString();
        if (texts.Count < MaxEntries) texts[address] = text;
        return text;
    }
}
