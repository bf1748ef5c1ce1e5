namespace ShadowMcp.Enforcer.Planning;

/// <summary>The desired entries and, per backend, the difference from what it holds now.</summary>
public sealed record BlockPlan(DateTime CreatedAt, IReadOnlyList<PlannedEntry> Entries, IReadOnlyList<BackendDiff> Backends)
{
    public bool HasChanges => Backends.Any(b => b.HasChanges);

    /// <summary>
    /// Findings the policy's verdict, confidence and level would block but whose evidence rests only on bases the
    /// policy does not block on (by default: shape only), with those bases: shown so nobody mistakes them for blocked.
    /// </summary>
    public IReadOnlyList<PassedOverFinding> PassedOver { get; init; } = [];

    /// <summary>
    /// Selected findings whose address was not blocked because it also serves a sanctioned name (a shared front end):
    /// they are blocked by their names and path only, and a backend that blocks by address cannot block them.
    /// </summary>
    public IReadOnlyList<SparedAddress> SparedAddresses { get; init; } = [];
}

/// <summary>A finding whose address a plan left unblocked, and the sanctioned name that address serves.</summary>
public sealed record SparedAddress(string Finding, string Address, string SanctionedName);

/// <summary>A finding a plan left unblocked because of its basis, and the bases it has.</summary>
public sealed record PassedOverFinding(string Finding, IReadOnlyList<string> Bases);
