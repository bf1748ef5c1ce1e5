using ShadowMcp.Enforcer.Backends;
using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Engine;

/// <summary>
/// Per finding endpoint: blocked (and where), pending, or not blockable by the configured backends. A backend
/// writes an entry in its own form (nftables with address scope drops the port), so each planned entry is
/// compared with what each backend would write for it, not with the planned key.
/// </summary>
public static class EndpointBlockStates
{
    /// <param name="held">What each backend (by name) was last seen holding.</param>
    public static IReadOnlyDictionary<string, EndpointBlockState> Compute(
        IReadOnlyCollection<string> endpointKeys, IReadOnlyList<PlannedEntry> planned,
        IReadOnlyList<IEnforcementBackend> backends, Func<string, IReadOnlyList<BlockEntry>> held)
    {
        var heldKeys = backends.ToDictionary(b => b.Name, b => held(b.Name).Select(e => e.Key).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var wanted = endpointKeys.ToHashSet(StringComparer.Ordinal);
        var byEndpoint = new Dictionary<string, List<BlockEntry>>(StringComparer.Ordinal);
        foreach (var p in planned)
        {
            foreach (var key in p.Findings.Where(wanted.Contains))
            {
                if (!byEndpoint.TryGetValue(key, out var list)) byEndpoint[key] = list = [];
                list.Add(p.Entry);
            }
        }
        // One Select per distinct entry and backend: many endpoints share a name or an address.
        var written = new Dictionary<(string, BlockEntry), IReadOnlyList<BlockEntry>>();
        IReadOnlyList<BlockEntry> Written(IEnforcementBackend b, BlockEntry e)
        {
            if (!written.TryGetValue((b.Name, e), out var w)) written[(b.Name, e)] = w = b.Select([e]);
            return w;
        }

        var result = new Dictionary<string, EndpointBlockState>(StringComparer.Ordinal);
        foreach (var key in endpointKeys)
        {
            if (!byEndpoint.TryGetValue(key, out var entries))
            {
                result[key] = new EndpointBlockState(EndpointBlockKind.NotSelected, [], []);
                continue;
            }
            var holding = backends.Where(b => entries.Any(e => Written(b, e).Any(w => heldKeys[b.Name].Contains(w.Key))))
                .Select(b => b.Name).Order(StringComparer.Ordinal).ToList();
            if (holding.Count > 0)
                result[key] = new EndpointBlockState(EndpointBlockKind.Blocked, holding, []);
            else if (backends.Any(b => entries.Any(e => Written(b, e).Count > 0)))
                result[key] = new EndpointBlockState(EndpointBlockKind.Pending, [], []);
            else
                result[key] = new EndpointBlockState(EndpointBlockKind.NotBlockable, [],
                    [.. entries.SelectMany(e => BackendKinds.TypesThatBlock(e.Kind)).Distinct()]);
        }
        return result;
    }
}
