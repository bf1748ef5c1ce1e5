using ShadowMcp.Classifier.Rules;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Classifier.Aggregation;

/// <summary>
/// Decides a finding's verdict from the strengths of the distinct rules that fired on it (see
/// Classifier/README.md): sanctioned when an approved endpoint matches; shadow on one decisive rule, two
/// strong rules, or one strong rule corroborated by any other rule; suspected otherwise.
/// </summary>
internal static class VerdictPolicy
{
    public static (Verdict Verdict, string Reason) Decide(
        IReadOnlyCollection<RuleTally> tallies, Endpoint endpoint, IReadOnlyCollection<string> hosts, IReadOnlyList<SanctionedEndpoint> sanctioned)
    {
        foreach (var entry in sanctioned)
            if (entry.Matches(endpoint, hosts))
                return (Verdict.Sanctioned, $"matches sanctioned endpoint '{entry.Reason}'");

        var decisive = Ids(tallies, EvidenceStrength.Decisive);
        if (decisive.Count > 0)
            return (Verdict.Shadow, $"unmistakable MCP evidence: {string.Join(", ", decisive)}");

        var strong = Ids(tallies, EvidenceStrength.Strong);
        var others = tallies.Where(t => t.Rule.Evidence.Strength is EvidenceStrength.Weak or EvidenceStrength.Context)
            .Select(t => t.Rule.Id).Order(StringComparer.Ordinal).ToList();
        if (strong.Count >= 2)
            return (Verdict.Shadow, $"MCP protocol evidence from {string.Join(", ", strong)}");
        if (strong.Count == 1 && others.Count > 0)
            return (Verdict.Shadow, $"MCP protocol evidence ({strong[0]}) corroborated by {string.Join(", ", others)}");
        if (strong.Count == 1)
            return (Verdict.Suspected, $"a single uncorroborated protocol signal: {strong[0]}");
        return (Verdict.Suspected, $"weak evidence only: {string.Join(", ", others)}");
    }

    /// <summary>1 - prod(1 - weight) over distinct rules: independent signals add up but never reach 1.</summary>
    public static double Confidence(IEnumerable<RuleTally> tallies)
    {
        var miss = 1.0;
        foreach (var tally in tallies) miss *= 1 - Math.Clamp(tally.Rule.Evidence.Weight, 0, 1);
        return Math.Round(1 - miss, 3);
    }

    private static List<string> Ids(IEnumerable<RuleTally> tallies, EvidenceStrength strength) =>
        tallies.Where(t => t.Rule.Evidence.Strength == strength).Select(t => t.Rule.Id).Order(StringComparer.Ordinal).ToList();
}
