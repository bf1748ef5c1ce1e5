using ShadowMcp.Classifier.Loading;
using ShadowMcp.Classifier.Matching;
using ShadowMcp.Classifier.Rules;

namespace ShadowMcp.Classifier.Tests;

/// <summary>
/// A rule's regex is checked when the rules load and built for the non-backtracking engine when it first runs (or on
/// a pool thread, see <see cref="RuleSet.PrepareInBackground"/>): loading must still refuse a bad pattern with the
/// parser's message, and what a pattern matches must not depend on when it was built.
/// </summary>
public sealed class RulePatternTests
{
    private static IEnumerable<FieldMatcher> Matchers(RuleSet rules) =>
        rules.Rules.SelectMany(r => r.Detection.Selections.Values).SelectMany(s => s.Alternatives).SelectMany(a => a);

    private static IEnumerable<RulePattern> Patterns(RuleSet rules) => Matchers(rules).SelectMany(m => m.Patterns);

    [Test]
    public void LoadingTheShippedRules_BuildsNoRegex_PrepareBuildsEveryOneAMatchCanRun()
    {
        var rules = new RuleSet(RuleLinter.LintDirectory(ShippedRules.Directory!).Rules);
        var patterns = Patterns(rules).ToList();
        Assert.That(patterns, Has.Count.GreaterThanOrEqualTo(10), "the shipped rules test tool descriptions and more with |re");
        Assert.That(patterns.Where(p => p.IsBuilt), Is.Empty);

        rules.Prepare();

        // A matcher over several patterns runs them joined; its patterns are built only when it runs them one by one.
        foreach (var matcher in Matchers(rules).Where(m => m.Patterns.Count == 1 || m.All))
            Assert.That(matcher.Patterns.All(p => p.IsBuilt), matcher.Field);
        Assert.That(patterns.Where(p => p.IsBuilt).All(p => p.RunsNonBacktracking), "the shipped patterns all run non-backtracking");
    }

    [Test]
    public void PrepareInBackground_MatchesLikeBuiltOnFirstUse()
    {
        // Two rule sets from the same text: one prepared on a pool thread while it is used, one built on first use.
        var text = "s:\n  host|re:\n    - '(?i)^ab+c$'\n    - '^x\\d{2,4}y$'\ncondition: s";
        var background = new RuleSet([OneRule.Compile(text)]);
        var onFirstUse = new RuleSet([OneRule.Compile(text)]);
        background.PrepareInBackground();
        foreach (var host in new[] { "abbbc", "ABC", "ac", "x12y", "x12345y", "xy", "zabc" })
        {
            var observation = Obs.Request(Obs.Flow("10.1.2.3", 40000, "192.168.1.20", 8080), 0, "GET", "/", host);
            Assert.That(background.Match(observation).Count, Is.EqualTo(onFirstUse.Match(observation).Count), host);
        }
    }

    [TestCase("(unclosed", "Not enough )'s")]
    [TestCase("a{2,1}", "Illegal {x,y} with x > y")]
    public void BadPattern_IsALintErrorWithTheParsersMessage(string pattern, string message)
    {
        var result = RuleLinter.LintText("bad.yaml", OneRule.Yaml($"s:\n  host|re: '{pattern}'\ncondition: s"));
        Assert.That(result.HasErrors);
        Assert.That(result.Diagnostics.Select(d => d.Message), Has.Some.Contains($"bad regex '{pattern}'").And.Contains(message));
    }

    [Test]
    public void PatternTheNonBacktrackingEngineCannotRun_RunsBacktracking_AndTimesOutToNoMatch()
    {
        var lookahead = RulePattern.TryCreate("^(?=.*mcp).*$", out var error)!;
        Assert.That(error, Is.Null);
        Assert.That(lookahead.IsMatch("x-mcp-y"), Is.True);
        Assert.That(lookahead.RunsNonBacktracking, Is.False);

        // Catastrophic backtracking on a value an attacker chose: the timeout ends it and the value matches nothing.
        var catastrophic = RulePattern.TryCreate(@"^(a+)+\1$", out _)!;
        Assert.That(catastrophic.IsMatch(new string('a', 40) + "!"), Is.False);
    }
}
