using System.Net;

namespace ShadowMcp.Scanner.Active;

/// <summary>
/// The ranges an active probe may touch. Default deny: an empty list allows nothing, and every target is checked
/// here before a socket is opened.
/// </summary>
public sealed class AddressAllowList
{
    private readonly List<(IPAddress Network, int PrefixLength)> _ranges = [];

    public IReadOnlyList<string> Ranges => [.. _ranges.Select(r => $"{r.Network}/{r.PrefixLength}")];

    /// <summary>Parses "10.0.0.0/24", "127.0.0.1" or "::1/128"; throws <see cref="FormatException"/> naming a bad entry.</summary>
    public static AddressAllowList Parse(IEnumerable<string> entries)
    {
        var list = new AddressAllowList();
        foreach (var entry in entries)
        {
            if (!IPNetwork.TryParse(entry.Contains('/') ? entry : entry + (entry.Contains(':') ? "/128" : "/32"), out var network))
                throw new FormatException($"allow list entry '{entry}' is not an address or CIDR range");
            list._ranges.Add((network.BaseAddress, network.PrefixLength));
        }
        return list;
    }

    public bool Allows(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var (network, prefix) in _ranges)
            if (new IPNetwork(network, prefix).Contains(address)) return true;
        return false;
    }
}
