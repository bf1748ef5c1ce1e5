using ShadowMcp.Core.Collections;

namespace ShadowMcp.Scanner.Decode;

/// <summary>
/// The text of addresses flows were seen with, per thread and bounded: every new flow names its two ends, and on a
/// busy segment the same clients and servers open flow after flow, so an address is formatted (an IPAddress and a
/// string) once instead of per flow. At most <see cref="MaxEntries"/> addresses, the most recently named
/// (<see cref="RecentTable{TKey, TValue}"/>). A table that stopped growing instead would, once a sensor had seen that many addresses (a scan
/// of the network, or just a long run), format every new flow's ends again for the rest of its life.
/// A table of its own, not the shared string table: a scan of many addresses must not crowd out field names.
/// </summary>
internal static class AddressText
{
    public const int MaxEntries = 4096;

    [ThreadStatic] private static RecentTable<IpAddress, string>? t_texts;

    public static string Of(IpAddress address)
    {
        var texts = t_texts ??= new RecentTable<IpAddress, string>(MaxEntries);
        if (texts.TryGetValue(address, out var text)) return text;
        text = address.ToString();
        texts.Set(address, text);
        return text;
    }
}
