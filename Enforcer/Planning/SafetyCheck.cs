using System.Net;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Text;
using ShadowMcp.Enforcer.Policy;

namespace ShadowMcp.Enforcer.Planning;

/// <summary>
/// Runs on what each backend will actually write: every rule's <see cref="Reach"/> is compared with the
/// sanctioned targets (the portal, the allow list, sanctioned endpoints, and the names and addresses the store
/// knows they resolve to) and with the other services the store knows on the same address or name.
/// </summary>
internal sealed class SafetyCheck
{
    private readonly List<SanctionedTarget> _targets = [];
    // address -> the known services on it: (port, finding key, names the finding was reached by).
    private readonly Dictionary<string, List<(int? Port, string Key, string Names)>> _services = new(StringComparer.Ordinal);
    // address -> names that merely resolved to it.
    private readonly Dictionary<string, SortedSet<string>> _addressNames = new(StringComparer.Ordinal);
    // name -> finding keys reached by it.
    private readonly Dictionary<string, List<(string Key, string? Path)>> _byName = new(StringComparer.Ordinal);
    // ancestor name (and the name itself) -> names at or under it, so a zone's reach is one lookup.
    private readonly Dictionary<string, List<string>> _under = new(StringComparer.Ordinal);

    public SafetyCheck(IReadOnlyList<Finding> findings, PortalSettings portal, IReadOnlyList<SanctionedEndpoint> sanctioned)
    {
        // name -> (address, port) from evidence (port known) or from DNS answers only (port unknown).
        var resolves = new Dictionary<string, HashSet<(string Address, int? Port)>>(StringComparer.Ordinal);
        foreach (var f in findings)
        {
            var evidenceNames = EvidenceNames(f).ToList();
            foreach (var n in evidenceNames)
            {
                if (!_byName.ContainsKey(n))
                {
                    for (var start = 0; ;)
                    {
                        Add(_under, n[start..], n);
                        var dot = n.IndexOf('.', start);
                        if (dot < 0) break;
                        start = dot + 1;
                    }
                }
                Add(_byName, n, (f.Endpoint.Key, f.Endpoint.Path));
            }
            if (Canonical(f.Endpoint.Address) is not { } a) continue;
            Add(_services, a, (f.Endpoint.Port, f.Endpoint.Key, string.Join(' ', evidenceNames)));
            foreach (var n in evidenceNames) AddSet(resolves, n, (a, f.Endpoint.Port));
            foreach (var raw in f.AddressNames)
            {
                if (DesiredStateBuilder.Normalize(raw) is not { } n) continue;
                AddSet(resolves, n, (a, null));
                if (!_addressNames.TryGetValue(a, out var set)) _addressNames[a] = set = new(StringComparer.Ordinal);
                set.Add(n);
            }
        }

        var all = new List<SanctionedEndpoint>(sanctioned);
        foreach (var h in portal.Hosts) all.Add(new SanctionedEndpoint(h, null, null, null, "portal"));
        foreach (var a in portal.Addresses) all.Add(new SanctionedEndpoint(null, a, null, null, "portal"));
        foreach (var h in portal.Hosts)
            foreach (var a in portal.Addresses)
                if (Canonical(a) is { } ca) AddSet(resolves, HostNameForms.ToAscii(h).TrimEnd('.').ToLowerInvariant(), (ca, null));

        foreach (var s in all)
        {
            var why = Describe(s);
            var address = Canonical(s.Address);
            var host = s.Host?.Trim().TrimEnd('.').ToLowerInvariant();
            _targets.Add(new SanctionedTarget(host, address ?? s.Address, s.Port, s.PathPrefix, why));
            if (host is not null)
            {
                // The addresses the sanctioned name resolves to: where its traffic was seen (with the port), else
                // a DNS answer (port unknown, so every port of that address counts).
                var seen = resolves.Where(kv => NameMatches(kv.Key, host)).SelectMany(kv => kv.Value).ToList();
                foreach (var group in seen.GroupBy(x => x.Address))
                {
                    if (address is not null && group.Key != address) continue;
                    var ports = s.Port is { } p ? [p] : group.Where(x => x.Port is not null).Select(x => x.Port).Distinct().ToList();
                    if (ports.Count == 0) ports = [null];
                    foreach (var port in ports)
                        _targets.Add(new SanctionedTarget(null, group.Key, port, null, $"{why}, which resolves to {group.Key}"));
                }
            }
            if (address is not null)
            {
                foreach (var (name, where) in resolves)
                {
                    if (!where.Any(x => x.Address == address && (s.Port is null || x.Port is null || x.Port == s.Port))) continue;
                    _targets.Add(new SanctionedTarget(name, null, null, null, $"{why}, as '{name}' resolves to it"));
                }
            }
        }
    }

    /// <summary>Every sanctioned target one written rule would stop, described for the refusal.</summary>
    public IEnumerable<string> Conflicts(Reach reach)
    {
        foreach (var t in _targets)
        {
            if (reach.Name is not null && t.Name is not null && NameOverlaps(reach.Name, reach.Subdomains, t.Name)
                && PathsOverlap(reach.Path, t.Path))
                yield return t.Why;
            else if (reach.Address is not null && t.Address is not null && SameAddress(reach.Address, t.Address)
                     && (reach.Port is null || t.Port is null || reach.Port == t.Port))
                yield return t.Why;
        }
    }

    /// <summary>
    /// The known services a rule stops besides the <paramref name="planned"/> findings, or null when it stops
    /// nothing else. A whole-address rule made from address:port entries always counts (it is a widening).
    /// </summary>
    public Collateral? CollateralOf(BlockEntry written, Reach reach, ISet<string> planned, bool widened)
    {
        var others = new SortedSet<string>(StringComparer.Ordinal);
        if (reach.Address is not null && _services.TryGetValue(reach.Address, out var services))
        {
            var plannedNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in services.Where(s => planned.Contains(s.Key)))
                plannedNames.UnionWith(s.Names.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            foreach (var s in services)
            {
                if (planned.Contains(s.Key) || (reach.Port is not null && s.Port != reach.Port)) continue;
                others.Add(s.Names.Length == 0 ? s.Key : $"{s.Key} ({s.Names})");
            }
            if (reach.Port is null && _addressNames.TryGetValue(reach.Address, out var names))
                foreach (var n in names.Where(n => !plannedNames.Contains(n))) others.Add($"name {n}");
        }
        if (reach.Name is not null)
        {
            IEnumerable<string> names = reach.Subdomains ? _under.GetValueOrDefault(reach.Name) ?? [] : [reach.Name];
            foreach (var name in names)
            {
                if (!_byName.TryGetValue(name, out var hits)) continue;
                foreach (var (key, path) in hits)
                    if (!planned.Contains(key) && PathsOverlap(reach.Path, path)) others.Add(key);
            }
        }
        return others.Count > 0 || widened ? new Collateral(written.Key, reach.ToString(), [.. others]) : null;
    }

    internal static IEnumerable<string> EvidenceNames(Finding f)
    {
        var all = new SortedSet<string>(StringComparer.Ordinal);
        if (f.Endpoint.Host is { } h && DesiredStateBuilder.Normalize(h) is { } n) all.Add(n);
        foreach (var x in f.Hosts) if (DesiredStateBuilder.Normalize(x) is { } m) all.Add(m);
        return all;
    }

    private static string? Canonical(string? address) => address is not null && IPAddress.TryParse(address, out var ip) ? ip.ToString() : null;

    private static bool SameAddress(string a, string b) =>
        IPAddress.TryParse(a, out var x) && IPAddress.TryParse(b, out var y) ? x.Equals(y) : string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>Does a name pattern ("*.x" or exact) cover <paramref name="name"/>?</summary>
    private static bool NameMatches(string name, string pattern) => pattern.StartsWith("*.", StringComparison.Ordinal)
        ? name.EndsWith(pattern[1..], StringComparison.Ordinal)
        : name == pattern;

    /// <summary>Would blocking <paramref name="blocked"/> (and its subdomains when asked) stop a name under <paramref name="pattern"/>?</summary>
    internal static bool NameOverlaps(string blocked, bool subdomains, string pattern)
    {
        var p = pattern.TrimEnd('.').ToLowerInvariant();
        var wildcard = p.StartsWith("*.", StringComparison.Ordinal);
        var parent = wildcard ? p[2..] : p;
        if (wildcard && blocked.EndsWith("." + parent, StringComparison.Ordinal)) return true;
        if (!wildcard && blocked == p) return true;
        // A zone for an ancestor answers for the sanctioned name too.
        return subdomains && (blocked == parent || parent.EndsWith("." + blocked, StringComparison.Ordinal));
    }

    /// <summary>Paths overlap when one is the other or one of its ancestors, by whole segments.</summary>
    internal static bool PathsOverlap(string? a, string? b) =>
        a is null || b is null || SegmentPrefix(a, b) || SegmentPrefix(b, a);

    internal static bool SegmentPrefix(string prefix, string path)
    {
        var p = prefix.TrimEnd('/');
        return p.Length == 0 || path == p || path.StartsWith(p + "/", StringComparison.Ordinal)
            || path.StartsWith(p + "?", StringComparison.Ordinal);
    }

    private static string Describe(SanctionedEndpoint s)
    {
        var what = s.Host ?? s.Address ?? "?";
        if (s.Host is not null && s.Address is not null) what = $"{s.Host} ({s.Address})";
        if (s.Port is not null) what += $":{s.Port}";
        if (s.PathPrefix is not null) what += s.PathPrefix;
        return $"'{what}' [{s.Reason}]";
    }

    private static void Add<TK, TV>(Dictionary<TK, List<TV>> d, TK k, TV v) where TK : notnull
    {
        if (!d.TryGetValue(k, out var list)) d[k] = list = [];
        list.Add(v);
    }

    private static void AddSet<TV>(Dictionary<string, HashSet<TV>> d, string k, TV v)
    {
        if (!d.TryGetValue(k, out var set)) d[k] = set = [];
        set.Add(v);
    }
}
