using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ShadowMcp.Core.Findings;
using ShadowMcp.Enforcer.Policy;

namespace ShadowMcp.Enforcer.Planning;

/// <summary>
/// Turns selected findings into planning entries. Only the names a finding's MCP flows used are blocked
/// (<see cref="Finding.Hosts"/>), never the other names that resolved to its address. Whether an entry is safe
/// is decided later, per backend, on what the backend will write (<see cref="SafetyCheck"/>).
/// </summary>
public static class DesiredStateBuilder
{
    /// <param name="sanctioned">
    /// Sanctioned endpoints besides the policy's allow list and portal. A finding whose address also serves a sanctioned
    /// name on its own port, or on a port no finding shows (in its <see cref="Finding.AddressNames"/>: the Classifier
    /// puts it there for a front end shared by a sanctioned server and a shadow one), is blocked by its names and path
    /// only, never by the address. Where the sanctioned name's own traffic was seen only on other ports of the
    /// address, the finding's address:port is still blocked (the safety check then proves the rule spares them).
    /// </param>
    /// <param name="spared">Receives, per finding whose address was spared that way, the sanctioned name it serves.</param>
    public static IReadOnlyList<PlannedEntry> Build(IReadOnlyList<Finding> findings, EnforcementPolicy policy,
        IReadOnlyList<SanctionedEndpoint>? sanctioned = null, ICollection<SparedAddress>? spared = null)
    {
        var sanctionedNames = new List<SanctionedEndpoint>(sanctioned ?? []);
        sanctionedNames.AddRange(policy.Allow);
        foreach (var h in policy.Portal.Hosts) sanctionedNames.Add(new SanctionedEndpoint(h, null, null, null, "portal"));
        // Per address and name, the ports where findings show that name's own traffic (their flows carried it).
        var seenAt = new Dictionary<(string Address, string Name), HashSet<int?>>();
        foreach (var f in findings)
        {
            if (f.Endpoint.Address is not { } a) continue;
            foreach (var n in SafetyCheck.EvidenceNames(f))
            {
                if (!seenAt.TryGetValue((a, n), out var ports)) seenAt[(a, n)] = ports = [];
                ports.Add(f.Endpoint.Port);
            }
        }
        var hostAction = policy.Mode == EnforcementMode.Redirect ? BlockActions.Redirect(policy.Portal.Addresses) : BlockActions.Block;
        var entries = new Dictionary<BlockEntry, SortedSet<string>>();

        foreach (var f in findings)
        {
            if (!policy.Blocks(f)) continue;
            var key = f.Endpoint.Key;
            var names = SafetyCheck.EvidenceNames(f).Where(h => !policy.Exceptions.ExcludesHost(h)).ToList();

            var servesSanctioned = f.Endpoint.Address is { } at ? SanctionedNameServed(f, at, sanctionedNames, seenAt) : null;
            if (servesSanctioned is not null) spared?.Add(new SparedAddress(key, f.Endpoint.Address!, servesSanctioned));
            if (f.Endpoint.Address is { } address && BlockableAddress(address) is { } canonical && !policy.Exceptions.ExcludesAddress(address)
                && servesSanctioned is null && f.Endpoint.Port is null or (>= 0 and <= 65535))
            {
                // Address entries carry "drop"; each nftables backend maps them to its configured action and scope.
                var entry = f.Endpoint.Port is { } port
                    ? new BlockEntry(BlockKind.AddressPort, canonical, port, null, BlockActions.Drop)
                    : new BlockEntry(BlockKind.Address, canonical, null, null, BlockActions.Drop);
                Add(entry);
            }
            foreach (var name in names) Add(new BlockEntry(BlockKind.Host, name, null, null, hostAction));
            if (f.Endpoint.Host is { } host && Normalize(host) is { } h && names.Contains(h) && BlockablePath(f.Endpoint.Path) is { Length: > 1 } path)
                Add(new BlockEntry(BlockKind.HostPath, h, null, path, BlockActions.Block));

            void Add(BlockEntry e)
            {
                if (!entries.TryGetValue(e, out var set)) entries[e] = set = new SortedSet<string>(StringComparer.Ordinal);
                set.Add(key);
            }
        }
        return [.. entries.OrderBy(kv => kv.Key, BlockEntry.Order).Select(kv => new PlannedEntry(kv.Key, [.. kv.Value]))];
    }

    // The sanctioned name the finding's address serves on its port (or on a port no finding shows), or null.
    private static string? SanctionedNameServed(Finding f, string address, List<SanctionedEndpoint> sanctioned,
        Dictionary<(string Address, string Name), HashSet<int?>> seenAt)
    {
        foreach (var raw in f.AddressNames)
        {
            if (Normalize(raw) is not { } name || !sanctioned.Any(s => s.MatchesName(name))) continue;
            if (!seenAt.TryGetValue((address, name), out var ports) || ports.Contains(f.Endpoint.Port)) return name;
        }
        return null;
    }

    /// <summary>
    /// The findings the policy does not block whose own entries (those they would get if selected) are planned for
    /// other findings anyway, by entry: one server's shape finding and its content finding share the address and port,
    /// and the entry drops the traffic of both. Only for saying truthfully what is blocked (the plan's passed-over list,
    /// the block state): the plan's entries still name only the findings that call for them, so such a finding seen
    /// again renews no lapsed entry.
    /// </summary>
    public static IReadOnlyDictionary<BlockEntry, IReadOnlyList<string>> AlsoBlocked(
        IReadOnlyList<Finding> findings, EnforcementPolicy policy, IReadOnlyList<PlannedEntry> planned,
        IReadOnlyList<SanctionedEndpoint>? sanctioned = null)
    {
        var unselected = findings.Where(f => !policy.Blocks(f) && !policy.Exceptions.ExcludesFinding(f)).ToList();
        if (unselected.Count == 0 || planned.Count == 0) return new Dictionary<BlockEntry, IReadOnlyList<string>>();
        var held = planned.Select(p => p.Entry).ToHashSet();
        return OwnEntries(unselected, policy, sanctioned).Where(p => held.Contains(p.Entry)).ToDictionary(p => p.Entry, p => p.Findings);
    }

    /// <summary>
    /// The entries each of <paramref name="findings"/> would get of its own if it were selected, as if a person had
    /// marked it blocked in triage (exceptions still apply). For saying what an unselected finding's block would be:
    /// another finding's entry, or one a backend still holds from an earlier plan.
    /// </summary>
    public static IReadOnlyList<PlannedEntry> OwnEntries(IReadOnlyList<Finding> findings, EnforcementPolicy policy,
        IReadOnlyList<SanctionedEndpoint>? sanctioned = null)
    {
        var asIfSelected = policy with { TriageBlocks = findings.Select(f => f.Endpoint.Key).ToHashSet(StringComparer.Ordinal) };
        return Build(findings, asIfSelected, sanctioned);
    }

    /// <summary>
    /// <see cref="Build"/> with each entry also naming the findings it blocks without calling for it
    /// (<see cref="AlsoBlocked"/>): what a finding's block state is read from. Never applied: TTLs follow the plan's own.
    /// </summary>
    public static IReadOnlyList<PlannedEntry> ForBlockState(IReadOnlyList<Finding> findings, EnforcementPolicy policy,
        IReadOnlyList<SanctionedEndpoint>? sanctioned = null)
    {
        var planned = Build(findings, policy, sanctioned);
        var also = AlsoBlocked(findings, policy, planned, sanctioned);
        if (also.Count == 0) return planned;
        return [.. planned.Select(p => also.TryGetValue(p.Entry, out var more)
            ? p with { Findings = [.. p.Findings.Concat(more).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] }
            : p)];
    }

    // Every name, path and address below comes from the wire (Host, SNI, :path) or a remote sensor's batch, and every
    // backend writes entries into a file or command of its own syntax. These three are the one gate: what passes is
    // one token in all of them, so a hostile value costs its own entry and never the backend's whole file.

    /// <summary>
    /// Lower-case, no port, no trailing dot; null for IP literals and anything that is not a DNS name: letters, digits,
    /// '-' and '_' in labels of 1 to 63 characters. Unbound refuses an include with an empty or longer label and its
    /// reload stops the resolver.
    /// </summary>
    internal static string? Normalize(string host)
    {
        var h = host.Trim().TrimEnd('.').ToLowerInvariant();
        if (h.StartsWith('[') || IPAddress.TryParse(h, out _)) return null;
        var colon = h.LastIndexOf(':');
        if (colon > 0 && int.TryParse(h.AsSpan(colon + 1), out _)) h = h[..colon];
        if (h.Length == 0 || h.Length > 253 || IPAddress.TryParse(h, out _)) return null;
        var label = 0;
        foreach (var c in h)
        {
            if (c == '.')
            {
                if (label == 0) return null;
                label = 0;
            }
            else if ((char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && ++label <= 63) continue;
            else return null;
        }
        return label == 0 ? null : h;
    }

    /// <summary>
    /// A path a Squid rule can carry on its own line, or null: it starts with '/' and holds no control character and
    /// no line or paragraph separator (an HTTP/2 :path may carry any octet; a line break would end the rule's line).
    /// </summary>
    internal static string? BlockablePath(string? path)
    {
        if (path is null || !path.StartsWith('/')) return null;
        foreach (var c in path)
            if (char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                return null;
        return path;
    }

    /// <summary>The canonical text of an address nft can hold in a set, or null: an IPv6 zone ("%eth0") has no syntax there.</summary>
    internal static string? BlockableAddress(string address) =>
        IPAddress.TryParse(address, out var ip) && (ip.AddressFamily != AddressFamily.InterNetworkV6 || ip.ScopeId == 0) ? ip.ToString() : null;
}
