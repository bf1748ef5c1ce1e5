using ShadowMcp.Classifier;
using ShadowMcp.Classifier.Loading;
using ShadowMcp.Classifier.Rules;

namespace ShadowMcp.Classifier.Tests;

/// <summary>Loads the rules/ directory of the source tree once for all tests.</summary>
internal static class ShippedRules
{
    private static readonly Lazy<RuleLintResult> Lint = new(() =>
        RuleLinter.LintDirectory(Directory
            ?? throw new DirectoryNotFoundException("rules/ not found above " + TestContext.CurrentContext.TestDirectory)));

    public static string? Directory => RulesLocator.FindInSourceTree(TestContext.CurrentContext.TestDirectory);

    public static RuleLintResult LintResult => Lint.Value;

    public static RuleSet RuleSet => new(Lint.Value.Rules);
}
