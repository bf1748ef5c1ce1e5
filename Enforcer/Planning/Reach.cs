namespace ShadowMcp.Enforcer.Planning;

/// <summary>
/// What one written rule actually stops, after the backend's widening: a DNS name (with or without its
/// subdomains, optionally only one path below it) or an address (one port, or every port when
/// <see cref="Port"/> is null). The safety check and the collateral count work on reaches, never on the
/// planning entries, so widening cannot slip past them.
/// </summary>
public sealed record Reach(string? Name, bool Subdomains, string? Address, int? Port, string? Path)
{
    public static Reach ForName(string name, bool subdomains, string? path = null) => new(name, subdomains, null, null, path);

    public static Reach ForAddress(string address, int? port) => new(null, false, address, port, null);

    /// <summary>The reach of an entry as its kind says, for backends that write entries as they are.</summary>
    public static IEnumerable<Reach> Default(BlockEntry e) => e.Kind switch
    {
        BlockKind.Address => [ForAddress(e.Target, null)],
        BlockKind.AddressPort => [ForAddress(e.Target, e.Port)],
        BlockKind.Host => [ForName(e.Target, subdomains: true)],
        _ => [ForName(e.Target, subdomains: false, e.Path)],
    };

    public override string ToString() => Name is not null
        ? (Subdomains ? $"{Name} and its subdomains" : Name) + (Path is null ? "" : $" path {Path}")
        : Port is null ? $"every port of {Address}" : $"{Address}:{Port}";
}
