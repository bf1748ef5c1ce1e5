using System.Net;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Enforcer.Policy;

/// <summary>What the policy never blocks, even when selected: host patterns ("*.x" for subdomains), CIDRs, finding keys.</summary>
public sealed record PolicyExceptions(IReadOnlyList<string> Hosts, IReadOnlyList<IPNetwork> Networks, IReadOnlyList<string> Findings)
{
    public static PolicyExceptions None { get; } = new([], [], []);

    public bool ExcludesFinding(Finding f) => Findings.Contains(f.Endpoint.Key, StringComparer.OrdinalIgnoreCase);

    public bool ExcludesHost(string host) => Hosts.Any(p => p.StartsWith("*.", StringComparison.Ordinal)
        ? host.EndsWith(p[1..], StringComparison.OrdinalIgnoreCase) || string.Equals(host, p[2..], StringComparison.OrdinalIgnoreCase)
        : string.Equals(p, host, StringComparison.OrdinalIgnoreCase));

    public bool ExcludesAddress(string address) =>
        IPAddress.TryParse(address, out var ip) && Networks.Any(n => n.Contains(ip));
}
