using ShadowMcp.Classifier.Rules;

namespace ShadowMcp.Classifier.Testing;

/// <summary>Runs every rule's <c>tests.match</c> / <c>tests.no_match</c> examples against that rule.</summary>
public static class RuleTestRunner
{
    public static IReadOnlyList<RuleTestResult> Run(IEnumerable<Rule> rules)
    {
        var results = new List<RuleTestResult>();
        foreach (var rule in rules)
        {
            // Through the rule index a scan uses, so an example also checks that the index does not skip the rule.
            var index = new KindRules([rule]);
            foreach (var example in rule.Examples)
            {
                // An example the Scanner would not even emit (not JSON-RPC 2.0) can never match.
                var matched = example.Observation is { } observation && rule.AppliesTo(observation.Kind)
                    && index.Holds(0, index.Present(observation), observation);
                results.Add(new RuleTestResult(rule.Id, rule.File, example.Line, example.Column, example.ExpectMatch,
                    matched == example.ExpectMatch, example.Text));
            }
        }
        return results;
    }
}
