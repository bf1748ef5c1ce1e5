using ShadowMcp.Classifier.Conditions;
using ShadowMcp.Classifier.Loading;
using ShadowMcp.Classifier.Matching;
using ShadowMcp.Classifier.Rules;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Classifier.Tests;

/// <summary>
/// The rule index skips a rule when a field its condition needs is absent. It must never skip a rule that would
/// have held: every condition shape (and, or, not, exists: false, listed nulls, virtual fields) is checked against
/// evaluating the rule itself, over every combination of fields present.
/// </summary>
public sealed class RuleIndexTests
{
    private static Rule Compile(string detection, string observation = "http.request") => OneRule.Compile(detection, observation);

    private static Observation Request(IEnumerable<(string Key, string Value)> fields)
    {
        var bag = new FieldBag();
        foreach (var (k, v) in fields) bag.Add(k, v);
        return new Observation { Kind = ObservationKinds.HttpRequest, Flow = Obs.Flow("10.1.2.3", 40000, "192.168.1.20", 8080), Time = Obs.T0, Fields = bag };
    }

    // Selections a..e each test one field; conditions combine them in every way the grammar allows.
    private const string Selections = """
        a: { method: POST }
        b: { path|startswith: /mcp }
        c: { query|exists: false }
        d: { host: [x.example, null] }
        e: { flow.server_port: 8080 }
        f:
          - header.accept|contains: json
          - header.mcp-session-id|exists: true
        """;

    [TestCase("a")]
    [TestCase("a and b")]
    [TestCase("a or b")]
    [TestCase("not a")]
    [TestCase("not a and b")]
    [TestCase("a and not b")]
    [TestCase("not (a or b)")]
    [TestCase("c")]
    [TestCase("a and c")]
    [TestCase("d")]
    [TestCase("b and d")]
    [TestCase("e")]
    [TestCase("e and a")]
    [TestCase("f")]
    [TestCase("a and f")]
    [TestCase("(a or f) and b")]
    [TestCase("1 of them")]
    [TestCase("all of them")]
    [TestCase("not 1 of them")]
    public void Index_EveryCombinationOfFields_HitsExactlyWhenTheConditionHolds(string condition)
    {
        var rule = Compile(Selections + $"\ncondition: {condition}");
        var rules = new RuleSet([rule]);
        (string, string)[] candidates =
        [
            ("method", "POST"), ("path", "/mcp"), ("query", "a=1"), ("host", "x.example"),
            ("header.accept", "application/json"), ("header.mcp-session-id", "s1"),
        ];
        for (var subset = 0; subset < 1 << candidates.Length; subset++)
        {
            var observation = Request(candidates.Where((_, i) => (subset & (1 << i)) != 0));
            Assert.That(rules.Match(observation).Count > 0, Is.EqualTo(rule.Matches(observation)),
                $"condition '{condition}', fields {observation.Fields}");
        }
    }

    [TestCase("a", new[] { "method" })]
    [TestCase("a and b", new[] { "method", "path" })]
    [TestCase("a or b", new string[0])]
    [TestCase("(a or b) and a", new[] { "method" })]
    [TestCase("not a", new string[0])]
    [TestCase("c", new string[0])]
    [TestCase("d", new string[0])]
    [TestCase("e", new string[0])]
    [TestCase("f", new string[0])]
    [TestCase("all of them", new[] { "method", "path" })]
    public void RequiredFields_FollowTheCondition(string condition, string[] expected)
    {
        var rule = Compile(Selections + $"\ncondition: {condition}");
        Assert.That(RequiredFields.Of(rule.Detection.Condition), Is.EquivalentTo(expected));
    }

    [Test]
    public void RequiredFields_SharedPathCatalog_NeedsHostAndPath()
    {
        var rule = ShippedRules.LintResult.Rules.Single(r => r.Id == "mcp-known-host-http");
        // "known or shared": the known list needs the host, the shared-path list the host and the path.
        Assert.That(RequiredFields.Of(rule.Detection.Condition), Is.EquivalentTo(new[] { "host" }));
        var shared = rule.Detection.Selections["shared"];
        Assert.That(RequiredFields.Of(shared), Is.EquivalentTo(new[] { "host", "path" }));
    }

    [Test]
    public void ShippedRules_OnEveryExampleOfEveryRule_IndexAgreesWithEvaluation()
    {
        // Each shipped rule's own match/no_match examples, run through the whole rule set: whatever rule the index
        // lets through or skips, the outcome is what evaluating every rule of the kind gives.
        var rules = ShippedRules.RuleSet;
        var checkedObservations = 0;
        foreach (var rule in rules.Rules)
        {
            foreach (var example in rule.Examples)
            {
                if (example.Observation is not { } observation) continue;
                var expected = rules.RulesFor(observation.Kind).Where(r => r.Matches(observation)).Select(r => r.Id);
                Assert.That(rules.Match(observation).Select(h => h.Rule.Id), Is.EqualTo(expected), $"{rule.Id}: {observation.Fields}");
                checkedObservations++;
            }
        }
        Assert.That(checkedObservations, Is.GreaterThan(100));
    }

    [Test]
    public void MatchRules_SameCombination_IsOneSharedObject()
    {
        // A sharded scan hands this from the workers to the aggregator per observation: no object per observation.
        var rules = new RuleSet([Compile("a: { method: POST }\ncondition: a"), Compile("b: { path: /mcp }\ncondition: b")]);
        var both = rules.MatchRules(Request([("method", "POST"), ("path", "/mcp")]));
        var again = rules.MatchRules(Request([("path", "/mcp"), ("method", "post")]));
        var one = rules.MatchRules(Request([("method", "POST")]));

        Assert.That(again, Is.SameAs(both));
        Assert.That(both.Count, Is.EqualTo(2));
        Assert.That(one, Is.Not.SameAs(both));
        Assert.That(one.Count, Is.EqualTo(1));
        Assert.That(rules.MatchRules(Request([("host", "x")])), Is.SameAs(MatchedRules.None));
    }

    [Test]
    public void Field_IsTheStringCacheObject_SoTheBagFindsItByReference()
    {
        var rule = Compile("s: { header.mcp-session-id|exists: true }\ncondition: s");
        var matcher = rule.Detection.Selections["s"].Alternatives[0][0];
        Assert.That(matcher.Field, Is.SameAs(StringCache.Get("header.mcp-session-id")));
    }

    [TestCase("abc", true)]
    [TestCase("ABC", true)]
    [TestCase("def", false)] // (?i) of the first pattern must not reach the second
    [TestCase("DEF", true)]
    [TestCase("xyz", false)]
    public void AnyOf_InlineOptionStaysInItsPattern(string value, bool expected)
    {
        var rule = Compile("s:\n  host|re:\n    - '(?i)^abc$'\n    - '^DEF$'\ncondition: s");
        var matcher = rule.Detection.Selections["s"].Alternatives[0][0];
        Assert.That(FieldMatcher.AnyOf(matcher.Patterns), Is.Not.Null, "both patterns run non-backtracking: joined");
        Assert.That(new RuleSet([rule]).Match(Request([("host", value)])).Count > 0, Is.EqualTo(expected));
    }

    [Test]
    public void AnyOf_PatternTheNonBacktrackingEngineCannotRun_IsNotJoined()
    {
        // A backreference needs the backtracking engine: each pattern is then run on its own, as before.
        var rule = Compile("s:\n  host|re:\n    - '^(a)\\1$'\n    - '^b$'\ncondition: s");
        var matcher = rule.Detection.Selections["s"].Alternatives[0][0];
        Assert.That(FieldMatcher.AnyOf(matcher.Patterns), Is.Null);
        var rules = new RuleSet([rule]);
        Assert.That(rules.Match(Request([("host", "aa")])), Has.Count.EqualTo(1));
        Assert.That(rules.Match(Request([("host", "b")])), Has.Count.EqualTo(1));
        Assert.That(rules.Match(Request([("host", "ab")])), Is.Empty);
    }

    [Test]
    public void AnyOf_CommentUnderIgnoreWhitespace_IsNotJoined()
    {
        // Under (?x) a '#' comment runs to the line's end: joined on one line it would swallow the next pattern.
        var rule = Compile("s:\n  host|re:\n    - '(?x) ^ a $ # just a'\n    - '^b$'\ncondition: s");
        var matcher = rule.Detection.Selections["s"].Alternatives[0][0];
        Assert.That(FieldMatcher.AnyOf(matcher.Patterns), Is.Null);
        Assert.That(new RuleSet([rule]).Match(Request([("host", "b")])), Has.Count.EqualTo(1));
    }

    [TestCase("API.GitHubCopilot.com", "/mcp/x", true)]
    [TestCase("api.githubcopilot.com", "/mcp", true)]
    [TestCase("api.githubcopilot.com", "/chat/completions", false)]
    [TestCase("api.githubcopilot.com.evil.example", "/mcp", false)]
    public void SharedPath_LookupByHost_KeepsCaseInsensitiveHostAndPathBoundary(string host, string path, bool expected)
    {
        var rules = ShippedRules.RuleSet;
        var hit = rules.Match(Request([("method", "POST"), ("host", host), ("path", path)])).Any(h => h.Rule.Id == "mcp-known-host-http");
        Assert.That(hit, Is.EqualTo(expected));
    }
}
