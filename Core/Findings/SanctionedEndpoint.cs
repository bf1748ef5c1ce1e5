namespace ShadowMcp.Core.Findings;

/// <summary>
/// An endpoint the organisation approved: the portal itself, one of its upstreams, or an allow-list entry.
/// Any field left null matches anything; a host entry starting with "*." matches subdomains.
/// </summary>
public sealed record SanctionedEndpoint(string? Host, string? Address, int? Port, string? PathPrefix, string Reason)
{
    public bool Matches(Endpoint endpoint, IEnumerable<string> hostNames)
    {
        if (Address is not null && !string.Equals(Address, endpoint.Address, StringComparison.OrdinalIgnoreCase)) return false;
        if (Port is not null && Port != endpoint.Port) return false;
        if (PathPrefix is not null && (endpoint.Path is null || !endpoint.Path.StartsWith(PathPrefix, StringComparison.Ordinal))) return false;
        if (Host is null) return Address is not null || Port is not null || PathPrefix is not null;
        var candidates = endpoint.Host is null ? hostNames : hostNames.Append(endpoint.Host);
        return candidates.Any(HostMatches);
    }

    private bool HostMatches(string name) =>
        Host!.StartsWith("*.", StringComparison.Ordinal)
            ? name.EndsWith(Host[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(Host, name, StringComparison.OrdinalIgnoreCase);
}
