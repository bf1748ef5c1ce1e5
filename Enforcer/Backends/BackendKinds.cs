using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>
/// Which backend types can express each kind of entry, for telling an admin what to add when the configured
/// backends cannot block an endpoint. It mirrors each backend's <see cref="IEnforcementBackend.Select"/>; a test
/// holds the two together.
/// </summary>
public static class BackendKinds
{
    public static IReadOnlyList<string> TypesThatBlock(BlockKind kind) => kind switch
    {
        BlockKind.Address or BlockKind.AddressPort => ["nftables", "webhook"],
        BlockKind.Host => ["hosts", "dnsmasq", "unbound", "rpz", "squid", "cloudflare", "webhook"],
        BlockKind.HostPath => ["squid", "webhook"],
        _ => [],
    };
}
