using System.Net;
using ShadowMcp.Core.Findings;
using ShadowMcp.Enforcer.Policy;

namespace ShadowMcp.Enforcer.Planning;

/// <summary>
/// Answers "would this block touch a sanctioned endpoint?". Name blocks cover subdomains (a DNS local-zone or
/// RPZ entry for corp.example also answers for portal.corp.example), so a parent of a sanctioned name conflicts too.
/// </summary>
internal sealed class SanctionedGuard
{
    private readonly IReadOnlyList<SanctionedEndpoint> _sanctioned;

    public SanctionedGuard(PortalSettings portal, IReadOnlyList<SanctionedEndpoint> sanctioned)
    {
        var all = new List<SanctionedEndpoint>(sanctioned);
        foreach (var h in portal.Hosts) all.Add(new SanctionedEndpoint(h, null, null, null, "portal"));
        foreach (var a in portal.Addresses) all.Add(new SanctionedEndpoint(null, a, null, null, "portal"));
        _sanctioned = all;
    }

    public string? MatchFinding(Finding f) =>
        _sanctioned.FirstOrDefault(s => s.Matches(f.Endpoint, f.Hosts)) is { } s ? Describe(s) : null;

    public string? MatchEntry(BlockEntry e)
    {
        foreach (var s in _sanctioned)
        {
            if (e.Kind is BlockKind.Address or BlockKind.AddressPort)
            {
                if (s.Address is null || !SameAddress(s.Address, e.Target)) continue;
                if (e.Kind == BlockKind.Address || s.Port is null || s.Port == e.Port) return Describe(s);
            }
            else if (s.Host is not null && NameOverlaps(e.Target, s.Host))
            {
                return Describe(s);
            }
        }
        return null;
    }

    private static bool SameAddress(string a, string b) =>
        IPAddress.TryParse(a, out var x) && IPAddress.TryParse(b, out var y) ? x.Equals(y) : string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static bool NameOverlaps(string blocked, string pattern)
    {
        var p = pattern.TrimEnd('.').ToLowerInvariant();
        if (p.StartsWith("*.", StringComparison.Ordinal))
        {
            var parent = p[2..];
            // Blocking a name under the wildcard, the parent itself, or any ancestor of it.
            return blocked.EndsWith("." + parent, StringComparison.Ordinal) || blocked == parent || parent.EndsWith("." + blocked, StringComparison.Ordinal);
        }
        return blocked == p || p.EndsWith("." + blocked, StringComparison.Ordinal);
    }

    private static string Describe(SanctionedEndpoint s)
    {
        var what = s.Host ?? s.Address ?? "?";
        if (s.Host is not null && s.Address is not null) what = $"{s.Host} ({s.Address})";
        if (s.Port is not null) what += $":{s.Port}";
        if (s.PathPrefix is not null) what += s.PathPrefix;
        return $"'{what}' [{s.Reason}]";
    }
}
