using ShadowMcp.Core.Findings;

namespace ShadowMcp.Enforcer.Policy;

/// <summary>
/// Which findings the policy blocks: their verdict, confidence, level, and what their evidence rests on. A finding is
/// blocked only when at least one of its bases (<see cref="BasisRules"/>) is in <see cref="Bases"/>; by default every
/// basis but <see cref="FindingBasis.Shape"/>, because the shape of encrypted flows is a lead with known false
/// positives (docs/shape-classifier.md), and blocking on it alone would cut off whatever machine-made HTTPS it
/// mistook for MCP. A shape finding that also has a name, content or host is blocked as before; a security team that
/// wants shape-only blocks lists <c>shape</c> in <c>select.bases</c>, or marks the finding blocked in triage.
/// </summary>
public sealed record FindingSelection(IReadOnlyList<Verdict> Verdicts, double MinConfidence, string MinLevel)
{
    public static readonly string[] Levels = ["informational", "low", "medium", "high", "critical"];

    /// <summary>The bases a policy blocks when its file does not say: all but shape.</summary>
    public static IReadOnlySet<FindingBasis> DefaultBases { get; } =
        Enum.GetValues<FindingBasis>().Where(b => b != FindingBasis.Shape).ToHashSet();

    /// <summary>
    /// The bases this policy blocks on. The probe's findings rest on the MCP content its own exchanges read, so for
    /// selection they count as <see cref="FindingBasis.Content"/> (the enforcer reads findings without their sources).
    /// </summary>
    public IReadOnlySet<FindingBasis> Bases { get; init; } = DefaultBases;

    public bool Selects(Finding f) => SelectsIgnoringBasis(f) && RestsOnSelectedBasis(f);

    /// <summary>
    /// True when the finding passes verdict, confidence and level but none of its bases is selected: a plan lists
    /// these so a team sees what the basis rule kept from being blocked.
    /// </summary>
    public bool PassesOverForBasis(Finding f) => SelectsIgnoringBasis(f) && !RestsOnSelectedBasis(f);

    /// <summary>The finding's bases as the enforcer sees them (evidence only).</summary>
    public static FindingBases BasesOf(Finding f) => BasisRules.For(f.Evidence, SourceKinds.None);

    private bool SelectsIgnoringBasis(Finding f)
    {
        if (!Verdicts.Contains(f.Verdict) || f.Confidence < MinConfidence) return false;
        var need = Array.IndexOf(Levels, MinLevel);
        return need <= 0 || f.Evidence.Any(e => Array.IndexOf(Levels, e.Level.ToLowerInvariant()) >= need);
    }

    private bool RestsOnSelectedBasis(Finding f)
    {
        foreach (var b in BasesOf(f).All)
            if (Bases.Contains(b)) return true;
        return false;
    }
}
