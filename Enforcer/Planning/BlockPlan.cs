namespace ShadowMcp.Enforcer.Planning;

/// <summary>The desired entries and, per backend, the difference from what it holds now.</summary>
public sealed record BlockPlan(DateTime CreatedAt, IReadOnlyList<PlannedEntry> Entries, IReadOnlyList<BackendDiff> Backends)
{
    public bool HasChanges => Backends.Any(b => b.HasChanges);
}
