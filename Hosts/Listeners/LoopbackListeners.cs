using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ShadowMcp.Hosts.Listeners;

/// <summary>
/// TCP sockets listening on this machine's loopback (Linux /proc/net/tcp and tcp6). A socket bound to the wildcard
/// address also answers on loopback, so it is listed at 127.0.0.1 or ::1: the probe never leaves the machine.
/// </summary>
public static class LoopbackListeners
{
    private const string Listen = "0A";

    public static IReadOnlyList<IPEndPoint> Read(string procNet = "/proc/net")
    {
        var found = new SortedSet<(int Family, string Address, int Port)>();
        foreach (var (file, v6) in (ReadOnlySpan<(string, bool)>)[("tcp", false), ("tcp6", true)])
        {
            string[] lines;
            try { lines = File.ReadAllLines(Path.Combine(procNet, file)); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { continue; }
            foreach (var line in lines.Skip(1))
            {
                var cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (cols.Length < 4 || cols[3] != Listen) continue;
                var colon = cols[1].IndexOf(':');
                if (colon < 0 || !int.TryParse(cols[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port)) continue;
                if (Parse(cols[1][..colon], v6) is not { } address) continue;
                if (address.Equals(IPAddress.Any)) address = IPAddress.Loopback;
                else if (address.Equals(IPAddress.IPv6Any)) address = IPAddress.IPv6Loopback;
                if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
                if (!IPAddress.IsLoopback(address)) continue;
                found.Add((address.AddressFamily == AddressFamily.InterNetwork ? 4 : 6, address.ToString(), port));
            }
        }
        return [.. found.Select(f => new IPEndPoint(IPAddress.Parse(f.Address), f.Port))];
    }

    /// <summary>The kernel prints each 32-bit word of the address in host (little-endian) byte order.</summary>
    private static IPAddress? Parse(string hex, bool v6)
    {
        if (hex.Length != (v6 ? 32 : 8)) return null;
        var bytes = new byte[hex.Length / 2];
        for (int word = 0; word < bytes.Length / 4; word++)
            for (int b = 0; b < 4; b++)
            {
                if (!byte.TryParse(hex.AsSpan(word * 8 + (3 - b) * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value)) return null;
                bytes[word * 4 + b] = value;
            }
        return new IPAddress(bytes);
    }
}
