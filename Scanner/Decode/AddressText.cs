namespace ShadowMcp.Scanner.Decode;

/// <summary>
/// The text of addresses flows were seen with, per thread and bounded: every new flow names its two ends, and on a
/// busy segment the same clients and servers open flow after flow, so an address is formatted (an IPAddress and a
/// string) once instead of per flow. At most <see cref="MaxEntries"/> addresses, the most recently named: two
/// generations of half that, the older dropped whole when the newer is full, and an address named from the older one
/// moves to the newer. A table that stopped growing instead would, once a sensor had seen that many addresses (a scan
/// of the network, or just a long run), format every new flow's ends again for the rest of its life.
/// A table of its own, not the shared string table: a scan of many addresses must not crowd out field names.
/// </summary>
internal static class AddressText
{
    public const int MaxEntries = 4096;

    [ThreadStatic] private static Dictionary<IpAddress, string>? t_current;
    [ThreadStatic] private static Dictionary<IpAddress, string>? t_previous;

    public static string Of(IpAddress address)
    {
        var current = t_current ??= new Dictionary<IpAddress, string>(256);
        if (current.TryGetValue(address, out var text)) return text;
        if (t_previous is not { Count: > 0 } previous || !previous.Remove(address, out text!)) text = address.ToString();
        if (current.Count >= MaxEntries / 2)
        {
            // Clear keeps the arrays: the two tables are reused generation after generation.
            var older = t_previous ?? new Dictionary<IpAddress, string>(256);
            older.Clear();
            t_previous = current;
            t_current = current = older;
        }
        current[address] = text;
        return text;
    }
}
