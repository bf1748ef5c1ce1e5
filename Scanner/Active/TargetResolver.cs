using System.Net;
using DnsClient;

namespace ShadowMcp.Scanner.Active;

/// <summary>
/// Turns target specs into probe targets: addresses, CIDR ranges (at most 4096 addresses) and host names resolved
/// with DnsClient (A and AAAA). Everything is checked against the allow list; a name resolving outside it is refused.
/// </summary>
public sealed class TargetResolver(AddressAllowList allowList, IPEndPoint? dnsServer = null)
{
    private const int MaxRangeAddresses = 4096;

    public async Task<IReadOnlyList<ProbeTarget>> ResolveAsync(IEnumerable<string> specs, IReadOnlyList<int> ports, CancellationToken ct)
    {
        var targets = new List<ProbeTarget>();
        foreach (var spec in specs)
        {
            foreach (var (address, name) in await AddressesAsync(spec, ct))
            {
                if (!allowList.Allows(address))
                    throw new ProbeRefusedException($"{spec}: {address} is not in the probe allow list ({string.Join(", ", allowList.Ranges)}); nothing was sent");
                foreach (var port in ports) targets.Add(new ProbeTarget(address, port, name));
            }
        }
        return targets;
    }

    private async Task<IReadOnlyList<(IPAddress, string?)>> AddressesAsync(string spec, CancellationToken ct)
    {
        if (IPAddress.TryParse(spec, out var single)) return [(single, null)];
        if (IPNetwork.TryParse(spec, out var network))
        {
            int hostBits = (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128) - network.PrefixLength;
            if (hostBits > 12) throw new FormatException($"{spec}: range too large to probe (at most {MaxRangeAddresses} addresses)");
            var bytes = network.BaseAddress.GetAddressBytes();
            var list = new List<(IPAddress, string?)>();
            for (int i = 0; i < 1 << hostBits; i++)
            {
                var b = (byte[])bytes.Clone();
                int carry = i;
                for (int k = b.Length - 1; k >= 0 && carry > 0; k--) { int v = b[k] + (carry & 0xff); b[k] = (byte)v; carry = (carry >> 8) + (v >> 8); }
                list.Add((new IPAddress(b), null));
            }
            return list;
        }
        var lookup = dnsServer is null ? new LookupClient() : new LookupClient(dnsServer);
        var result = new List<(IPAddress, string?)>();
        foreach (var type in new[] { QueryType.A, QueryType.AAAA })
        {
            var response = await lookup.QueryAsync(spec, type, cancellationToken: ct);
            foreach (var a in response.Answers.ARecords()) result.Add((a.Address, spec));
            foreach (var a in response.Answers.AaaaRecords()) result.Add((a.Address, spec));
        }
        if (result.Count == 0) throw new FormatException($"{spec}: not an address, a CIDR range or a name that resolves");
        return result;
    }
}
