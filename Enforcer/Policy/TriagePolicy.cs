using ShadowMcp.Core.Store;
using ShadowMcp.Core.Triage;

namespace ShadowMcp.Enforcer.Policy;

/// <summary>
/// Lays the security team's triage decisions over the policy file: approved findings and false positives join the
/// finding exceptions (never blocked), findings marked blocked are planned even when the selection would not pick
/// them. Every path that plans (the `enforce` command and `serve`'s admin UI) applies it, so both plan the same.
/// </summary>
public static class TriagePolicy
{
    public static EnforcementPolicy WithTriage(this EnforcementPolicy policy, TriageDecisions decisions)
    {
        if (decisions.NeverBlock.Count == 0 && decisions.Block.Count == 0) return policy;
        var exceptions = policy.Exceptions with
        {
            Findings = [.. policy.Exceptions.Findings, .. decisions.NeverBlock.Order(StringComparer.Ordinal)],
        };
        return policy with { Exceptions = exceptions, TriageBlocks = decisions.Block };
    }

    /// <summary>The decisions recorded in <paramref name="store"/>.</summary>
    public static EnforcementPolicy WithTriageFrom(this EnforcementPolicy policy, FindingStore store) =>
        policy.WithTriage(TriageLedger.Decisions(store.Context));
}
