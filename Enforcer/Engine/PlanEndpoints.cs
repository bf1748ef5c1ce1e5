using ShadowMcp.Enforcer.Backends;
using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Engine;

/// <summary>
/// Which finding endpoints each backend's rule in a plan stands for. One server reached by address and by name
/// is two entries, and each backend writes them in its own form, so counting rules overstates what an admin is
/// about to block; counting the endpoints behind them does not.
/// </summary>
public static class PlanEndpoints
{
    /// <summary>(backend name, written entry key) to the finding endpoint keys behind it, sorted.</summary>
    public static IReadOnlyDictionary<(string Backend, string Key), IReadOnlyList<string>> Of(
        BlockPlan plan, IReadOnlyList<IEnforcementBackend> backends)
    {
        var map = new Dictionary<(string, string), SortedSet<string>>();
        foreach (var backend in backends)
        {
            foreach (var p in plan.Entries)
            {
                foreach (var written in backend.Select([p.Entry]))
                {
                    if (!map.TryGetValue((backend.Name, written.Key), out var set))
                        map[(backend.Name, written.Key)] = set = new SortedSet<string>(StringComparer.Ordinal);
                    set.UnionWith(p.Findings);
                }
            }
        }
        return map.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)[.. kv.Value]);
    }
}
