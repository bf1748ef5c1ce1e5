using ShadowMcp.Classifier.Rules;
using ShadowMcp.Core.Findings;

namespace ShadowMcp.Classifier.Aggregation;

/// <summary>
/// Judges a finding another process reported (a remote sensor) with this process's own rules and sanctioned list,
/// so a sensor cannot declare a server sanctioned or raise its own evidence: only the rule ids it names count, with
/// the strengths and weights this process gives them, and evidence under a rule this process does not know adds
/// nothing to the verdict or the confidence.
/// </summary>
internal static class ReportedFindingJudge
{
    public static void Judge(Finding finding, RuleSet rules, ClassifierOptions options)
    {
        var byId = rules.Rules.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var tallies = new List<RuleTally>();
        foreach (var evidence in finding.Evidence.DistinctBy(e => e.Rule, StringComparer.Ordinal))
            if (byId.TryGetValue(evidence.Rule, out var rule))
                tallies.Add(new RuleTally(rule, evidence.Detail, evidence.Example ?? "", evidence.FirstSeen));
        // The names are the sensor's word: its aggregator lists only names a DNS answer it saw vouched for, when they
        // match a sanctioned entry (a claimed one is left out of Hosts and named in its reason), so they count as vouched.
        // Names the sensor held the finding for (claimed, no DNS answer seen) are names the flows used but nothing
        // vouched: judged as such, they hold it at suspected here too when this process sanctions them by name.
        IReadOnlyCollection<string> used = finding.ClaimedNames.Count == 0 ? finding.Hosts : [.. finding.Hosts, .. finding.ClaimedNames];
        var (verdict, reason) = VerdictPolicy.Decide(tallies, finding.Endpoint, used, finding.Hosts, options.Sanctioned, null, [], out _, out _);
        finding.Verdict = verdict;
        finding.VerdictReason = reason;
        finding.Confidence = VerdictPolicy.Confidence(tallies);
    }
}
