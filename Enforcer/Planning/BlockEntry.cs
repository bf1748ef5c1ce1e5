namespace ShadowMcp.Enforcer.Planning;

/// <summary>
/// One thing a backend holds: what is blocked and how. Backends read their state back as entries, so two
/// entries are equal exactly when the backend holds the same rule.
/// </summary>
public sealed record BlockEntry(BlockKind Kind, string Target, int? Port, string? Path, string Action)
{
    // Sorting and diffing 30,000 entries compares keys millions of times: build each key once. The setters
    // clear it so a `with` copy that changes a part of the key does not keep the old one.
    private string? _key;

    public BlockKind Kind { get; init { field = value; _key = null; } } = Kind;
    public string Target { get; init { field = value; _key = null; } } = Target;
    public int? Port { get; init { field = value; _key = null; } } = Port;
    public string? Path { get; init { field = value; _key = null; } } = Path;
    // Declared here only to keep the JSON property order (kind, target, port, path, action, key) of stored rows.
    public string Action { get; init; } = Action;

    /// <summary>Identity without the action: a changed action on the same key is an update.</summary>
    public string Key => _key ??= Kind switch
    {
        BlockKind.Address => $"addr:{Target}",
        BlockKind.AddressPort => $"addr:{(Target.Contains(':') ? $"[{Target}]" : Target)}:{Port}",
        BlockKind.Host => $"host:{Target}",
        _ => $"host:{Target}{Path}",
    };

    /// <summary>The rule itself decides equality; the cached key is not part of it.</summary>
    public bool Equals(BlockEntry? other) =>
        other is not null && Kind == other.Kind && Port == other.Port
        && string.Equals(Target, other.Target, StringComparison.Ordinal)
        && string.Equals(Path, other.Path, StringComparison.Ordinal)
        && string.Equals(Action, other.Action, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Kind, Target, Port, Path, Action);

    public override string ToString() => $"{Key} {Action}";

    public static IComparer<BlockEntry> Order { get; } =
        Comparer<BlockEntry>.Create((a, b) =>
        {
            var c = string.CompareOrdinal(a.Key, b.Key);
            return c != 0 ? c : string.CompareOrdinal(a.Action, b.Action);
        });
}
