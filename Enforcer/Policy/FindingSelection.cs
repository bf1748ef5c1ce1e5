using ShadowMcp.Core.Findings;

namespace ShadowMcp.Enforcer.Policy;

/// <summary>Which findings the policy blocks.</summary>
public sealed record FindingSelection(IReadOnlyList<Verdict> Verdicts, double MinConfidence, string MinLevel)
{
    public static readonly string[] Levels = ["informational", "low", "medium", "high", "critical"];

    public bool Selects(Finding f)
    {
        if (!Verdicts.Contains(f.Verdict) || f.Confidence < MinConfidence) return false;
        var need = Array.IndexOf(Levels, MinLevel);
        return need <= 0 || f.Evidence.Any(e => Array.IndexOf(Levels, e.Level.ToLowerInvariant()) >= need);
    }
}
