using ShadowMcp.Core.Findings;

namespace ShadowMcp.Enforcer.Policy;

/// <summary>
/// The policy file: what to block, what never to block, how, for how long, and on which backends.
/// <see cref="TriageBlocks"/> are findings the security team marked blocked (see <see cref="TriagePolicy"/>).
/// </summary>
public sealed record EnforcementPolicy(
    FindingSelection Select,
    PolicyExceptions Exceptions,
    EnforcementMode Mode,
    TimeSpan? Ttl,
    PortalSettings Portal,
    IReadOnlyList<SanctionedEndpoint> Allow,
    IReadOnlyList<BackendSettings> Backends)
{
    /// <summary>Finding keys planned even when <see cref="Select"/> passes them over; the exceptions still win.</summary>
    public IReadOnlySet<string> TriageBlocks { get; init; } = new HashSet<string>();

    /// <summary>Whether the policy plans a block for <paramref name="f"/> at all (before host and network exceptions).</summary>
    public bool Blocks(Finding f) =>
        (Select.Selects(f) || TriageBlocks.Contains(f.Endpoint.Key)) && !Exceptions.ExcludesFinding(f);

    /// <summary>
    /// Whether <paramref name="f"/> is left unblocked only for what its evidence rests on (<c>select.bases</c>): its
    /// verdict, confidence and level are selected, no triage decision blocks it and no exception covers it.
    /// </summary>
    public bool PassesOverForBasis(Finding f) =>
        Select.PassesOverForBasis(f) && !TriageBlocks.Contains(f.Endpoint.Key) && !Exceptions.ExcludesFinding(f);

    /// <summary>Why a finding <see cref="PassesOverForBasis"/>: "rests on shape only: select.bases".</summary>
    public static string PassedOverReason(IReadOnlyList<string> bases) => $"rests on {string.Join(" ", bases)} only: select.bases";
}
