namespace ShadowMcp.Enforcer.Planning;

/// <summary>What one backend holds now, what it should hold, and the difference.</summary>
public sealed record BackendDiff(
    string Backend,
    IReadOnlyList<BlockEntry> Current,
    IReadOnlyList<BlockEntry> Desired,
    IReadOnlyList<BlockEntry> Added,
    IReadOnlyList<BlockEntry> Removed,
    string? Error)
{
    public bool HasChanges => Added.Count > 0 || Removed.Count > 0;

    /// <summary>Written rules that would also stop other known services (see <see cref="Planning.Collateral"/>).</summary>
    public IReadOnlyList<Collateral> Collateral { get; init; } = [];

    public static BackendDiff Compute(string backend, IReadOnlyList<BlockEntry> current, IReadOnlyList<BlockEntry> desired)
    {
        var have = current.ToHashSet();
        var want = desired.ToHashSet();
        return new BackendDiff(
            backend,
            [.. current.Order(BlockEntry.Order)],
            [.. desired.Order(BlockEntry.Order)],
            [.. desired.Where(e => !have.Contains(e)).Distinct().Order(BlockEntry.Order)],
            [.. current.Where(e => !want.Contains(e)).Distinct().Order(BlockEntry.Order)],
            null);
    }

    public static BackendDiff Failed(string backend, IReadOnlyList<BlockEntry> desired, string error) =>
        new(backend, [], [.. desired.Order(BlockEntry.Order)], [], [], error);
}
