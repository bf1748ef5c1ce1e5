using ShadowMcp.Enforcer.Policy;
using ShadowMcp.Enforcer.Store;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>Builds the configured backends from the policy's <c>backends:</c> list.</summary>
public static class BackendFactory
{
    public static IReadOnlyList<IEnforcementBackend> Create(EnforcementPolicy policy, EnforcerStore store, TimeProvider time)
    {
        var list = new List<IEnforcementBackend>();
        foreach (var s in policy.Backends)
        {
            list.Add(s.Type switch
            {
                "nftables" => new NftablesBackend(
                    s.Name, s.GetList("command", ["nft"]), "inet", s.Get("table") ?? "shadowmcp",
                    s.Get("action") ?? Planning.BlockActions.Drop, s.Get("scope") == "address"),
                "unbound" => new UnboundBackend(s.Name, s.Require("path"), s.GetList("reload", ["unbound-control", "reload"]),
                    int.Parse(s.Get("ttl") ?? "60", System.Globalization.CultureInfo.InvariantCulture)),
                "rpz" => new RpzBackend(s.Name, s.Require("path"), s.GetList("reload", []), s.Get("zone") ?? "rpz.shadowmcp", time),
                "dnsmasq" => new DnsmasqBackend(s.Name, s.Require("path"), s.GetList("reload", [])),
                "hosts" => new HostsFileBackend(s.Name, s.Require("path")),
                _ => throw new PolicyException($"{s.Origin}: backend type '{s.Type}' is not available in this build"),
            });
        }
        return list;
    }
}
