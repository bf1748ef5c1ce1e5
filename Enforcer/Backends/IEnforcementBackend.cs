using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Backends;

/// <summary>
/// A system that holds blocks. The engine reads what it holds, compares with <see cref="Select"/>ed desired
/// entries, and hands over the complete new state; a backend replaces its state in one atomic step.
/// </summary>
public interface IEnforcementBackend
{
    /// <summary>The name from the policy (unique), used in the action log.</summary>
    string Name { get; }

    /// <summary>The entries this backend can express, in the form it reads them back.</summary>
    IReadOnlyList<BlockEntry> Select(IReadOnlyList<BlockEntry> desired);

    /// <summary>
    /// What a written entry really stops once this backend has turned it into its own rule (a name zone covers
    /// subdomains, a hosts line does not, a proxy CONNECT rule covers every path). The safety check uses it.
    /// </summary>
    IEnumerable<Reach> ReachOf(BlockEntry written) => Reach.Default(written);

    /// <summary>What the backend holds now.</summary>
    Task<IReadOnlyList<BlockEntry>> ReadAsync(CancellationToken ct);

    /// <summary>Replaces the backend's whole state with <paramref name="state"/>: all or nothing.</summary>
    Task ApplyAsync(IReadOnlyList<BlockEntry> state, CancellationToken ct);
}
