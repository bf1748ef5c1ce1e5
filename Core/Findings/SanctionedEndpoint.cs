using ShadowMcp.Core.Text;

namespace ShadowMcp.Core.Findings;

/// <summary>
/// An endpoint the organisation approved: the portal itself, one of its upstreams, or an allow-list entry.
/// Any field left null matches anything; a host entry starting with "*." matches subdomains; a path prefix covers
/// plain paths under it by whole segments (<see cref="UrlPathForms.IsUnder"/>: <c>/mcp/../admin</c> or
/// <c>/mcp-admin</c> is not under <c>/mcp</c>, as the server behind routes it elsewhere). The names given to
/// <see cref="Matches(Endpoint, IEnumerable{string})"/> must be ones the caller trusts for the endpoint's address: a
/// Host header or SNI is the client's choice, so the classifier passes only names a DNS answer tied to the address,
/// unless the entry gives the address itself (<see cref="VouchesForAddress"/>).
/// </summary>
public sealed record SanctionedEndpoint(string? Host, string? Address, int? Port, string? PathPrefix, string Reason)
{
    /// <summary>The sanctioned name in its ASCII form (a Unicode name in a config is carried on the wire as punycode).</summary>
    public string? Host { get; init; } = Host is null ? null : HostNameForms.ToAscii(Host);

    public bool Matches(Endpoint endpoint, IEnumerable<string> hostNames)
    {
        if (!MatchesPlace(endpoint.Address, endpoint.Port, endpoint.Path)) return false;
        if (Host is null) return Address is not null || Port is not null || PathPrefix is not null;
        var candidates = endpoint.Host is null ? hostNames : hostNames.Append(endpoint.Host);
        return candidates.Any(HostMatches);
    }

    /// <summary>
    /// <see cref="Matches(Endpoint, IEnumerable{string})"/> for an endpoint without a host of its own, given by its
    /// parts: allocates nothing, for callers on the packet path.
    /// </summary>
    public bool Matches(string? address, int? port, string? path, IReadOnlyList<string> hostNames)
    {
        ArgumentNullException.ThrowIfNull(hostNames);
        if (!MatchesPlace(address, port, path)) return false;
        if (Host is null) return Address is not null || Port is not null || PathPrefix is not null;
        for (var i = 0; i < hostNames.Count; i++)
            if (HostMatches(hostNames[i])) return true;
        return false;
    }

    /// <summary>
    /// Whether the entry names the address itself: then its host part only picks a virtual host on an address the
    /// operator vouched for, and any name the flows used may be matched against it.
    /// </summary>
    public bool VouchesForAddress => Address is not null;

    /// <summary>Whether <paramref name="name"/> is the entry's host (or under its "*." wildcard); false when it names no host.</summary>
    public bool MatchesName(string name) => Host is not null && HostMatches(name);

    private bool MatchesPlace(string? address, int? port, string? path) =>
        (Address is null || string.Equals(Address, address, StringComparison.OrdinalIgnoreCase))
        && (Port is null || Port == port)
        && (PathPrefix is null || (path is not null && UrlPathForms.IsUnder(path, PathPrefix)));

    // On spans: a substring of the pattern per name checked would be garbage on the packet path.
    private bool HostMatches(string name) => HostMatchesAscii(HostNameForms.ToAscii(name));

    private bool HostMatchesAscii(string name) =>
        Host!.StartsWith("*.", StringComparison.Ordinal)
            ? name.AsSpan().EndsWith(Host.AsSpan(1), StringComparison.OrdinalIgnoreCase)
            : string.Equals(Host, name, StringComparison.OrdinalIgnoreCase);
}
