using ShadowMcp.Classifier.Rules;
using ShadowMcp.Classifier.Testing;

namespace ShadowMcp.Classifier.Tests;

public sealed class ShippedRulesTests
{
    [Test]
    public void Lint_ShippedRules_HaveNoErrorsOrWarnings()
    {
        var lint = ShippedRules.LintResult;
        Assert.That(lint.Diagnostics.Select(d => d.ToString()), Is.Empty);
        Assert.That(lint.Rules, Has.Count.GreaterThanOrEqualTo(20));
    }

    [Test]
    public void RuleTestRunner_EveryShippedExample_Passes()
    {
        var results = RuleTestRunner.Run(ShippedRules.LintResult.Rules);
        Assert.That(results.Where(r => !r.Passed).Select(r => r.ToString()), Is.Empty);
        Assert.That(results, Has.Count.GreaterThan(60));
    }

    [Test]
    public void ShippedRules_EachRule_HasMatchAndNoMatchExamplesAndReferences()
    {
        foreach (var rule in ShippedRules.LintResult.Rules)
        {
            Assert.That(rule.Examples.Any(e => e.ExpectMatch), rule.Id + " needs a match example");
            Assert.That(rule.Examples.Any(e => !e.ExpectMatch), rule.Id + " needs a no_match example");
            Assert.That(rule.References, Is.Not.Empty, rule.Id + " needs references");
        }
    }

    [TestCase("2024-11-05")]
    [TestCase("2025-03-26")]
    [TestCase("2025-06-18")]
    [TestCase("2025-11-25")]
    [TestCase("2026-07-28")]
    public void ShippedRules_EveryProtocolVersion_HasAMatchingExample(string version)
    {
        var covered = ShippedRules.LintResult.Rules
            .Where(r => r.Evidence.Strength >= EvidenceStrength.Strong)
            .SelectMany(r => r.Examples.Where(e => e.ExpectMatch && e.Observation is not null && r.Matches(e.Observation)))
            .Any(e => e.Observation!.Fields.Any(kv => kv.Value == version));
        Assert.That(covered, Is.True, $"no strong rule example carries protocol version {version}");
    }

    [Test]
    public void RulesLocator_FromTestDirectory_FindsTheSourceRules()
    {
        var dir = RulesLocator.Find(TestContext.CurrentContext.TestDirectory);
        Assert.That(dir, Is.Not.Null);
        Assert.That(Directory.EnumerateFiles(dir!, "*.yaml"), Is.Not.Empty);
    }
}
