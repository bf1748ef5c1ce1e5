using System.Net;
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
    public static IReadOnlyList<PlannedEntry> Build(IReadOnlyList<Finding> findings, EnforcementPolicy policy)
    {
        var hostAction = policy.Mode == EnforcementMode.Redirect ? BlockActions.Redirect(policy.Portal.Addresses) : BlockActions.Block;
        var entries = new Dictionary<BlockEntry, SortedSet<string>>();

        foreach (var f in findings)
        {
            if (!policy.Blocks(f)) continue;
            var key = f.Endpoint.Key;
            var names = SafetyCheck.EvidenceNames(f).Where(h => !policy.Exceptions.ExcludesHost(h)).ToList();

            if (f.Endpoint.Address is { } address && IPAddress.TryParse(address, out var ip) && !policy.Exceptions.ExcludesAddress(address))
            {
                var canonical = ip.ToString();
                // Address entries carry "drop"; each nftables backend maps them to its configured action and scope.
                var entry = f.Endpoint.Port is { } port
                    ? new BlockEntry(BlockKind.AddressPort, canonical, port, null, BlockActions.Drop)
                    : new BlockEntry(BlockKind.Address, canonical, null, null, BlockActions.Drop);
                Add(entry);
            }
            foreach (var name in names) Add(new BlockEntry(BlockKind.Host, name, null, null, hostAction));
            if (f.Endpoint.Host is { } host && Normalize(host) is { } h && names.Contains(h) && f.Endpoint.Path is { Length: > 1 } path)
                Add(new BlockEntry(BlockKind.HostPath, h, null, path, BlockActions.Block));

            void Add(BlockEntry e)
            {
                if (!entries.TryGetValue(e, out var set)) entries[e] = set = new SortedSet<string>(StringComparer.Ordinal);
                set.Add(key);
            }
        }
        return [.. entries.OrderBy(kv => kv.Key, BlockEntry.Order).Select(kv => new PlannedEntry(kv.Key, [.. kv.Value]))];
    }

    /// <summary>Lower-case, no port, no trailing dot; null for IP literals and anything that is not a DNS name.</summary>
    internal static string? Normalize(string host)
    {
        var h = host.Trim().TrimEnd('.').ToLowerInvariant();
        if (h.StartsWith('[') || IPAddress.TryParse(h, out _)) return null;
        var colon = h.LastIndexOf(':');
        if (colon > 0 && int.TryParse(h.AsSpan(colon + 1), out _)) h = h[..colon];
        if (h.Length == 0 || h.Length > 253 || IPAddress.TryParse(h, out _)) return null;
        foreach (var c in h)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')) return null;
        return h;
    }
}
