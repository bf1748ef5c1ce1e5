using System.Net;
using System.Net.Sockets;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Classifier.Aggregation;

/// <summary>
/// Whose endpoint this is, as far as making room goes: an IPv4 address, an IPv6 /64 (one host or site gets a whole
/// /64, so its addresses are one party), or a name's last two labels. The party holding the most endpoints gives
/// them up first, so filling the table from one address, its ports or its /64 costs that party its own endpoints.
/// </summary>
internal static class AddressGroup
{
    public static string Of(Endpoint endpoint)
    {
        if (endpoint.Address is not { } address) return LastTwoLabels(endpoint.Host ?? "");
        if (!IPAddress.TryParse(address, out var ip)) return address;
        if (ip.IsIPv4MappedToIPv6) return ip.MapToIPv4().ToString();
        if (ip.AddressFamily != AddressFamily.InterNetworkV6) return address;
        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static string LastTwoLabels(string host)
    {
        var last = host.LastIndexOf('.');
        if (last <= 0) return host;
        var before = host.LastIndexOf('.', last - 1);
        return before < 0 ? host : host[(before + 1)..];
    }
}
