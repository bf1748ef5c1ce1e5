namespace ShadowMcp.Enforcer.Planning;

/// <summary>
/// One thing a backend holds: what is blocked and how. Backends read their state back as entries, so two
/// entries are equal exactly when the backend holds the same rule.
/// </summary>
public sealed record BlockEntry(BlockKind Kind, string Target, int? Port, string? Path, string Action)
{
    /// <summary>Identity without the action: a changed action on the same key is an update.</summary>
    public string Key => Kind switch
    {
        BlockKind.Address => $"addr:{Target}",
        BlockKind.AddressPort => $"addr:{(Target.Contains(':') ? $"[{Target}]" : Target)}:{Port}",
        BlockKind.Host => $"host:{Target}",
        _ => $"host:{Target}{Path}",
    };

    public override string ToString() => $"{Key} {Action}";

    public static IComparer<BlockEntry> Order { get; } =
        Comparer<BlockEntry>.Create((a, b) =>
        {
            var c = string.CompareOrdinal(a.Key, b.Key);
            return c != 0 ? c : string.CompareOrdinal(a.Action, b.Action);
        });
}
