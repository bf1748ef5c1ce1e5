using ShadowMcp.Classifier.Loading;
using ShadowMcp.Classifier.Rules;

namespace ShadowMcp.Classifier.Tests;

/// <summary>Compiles one rule from its detection block, the rest of the file filled in, and asserts it lints clean.</summary>
internal static class OneRule
{
    public static Rule Compile(string detection, string observation = "http.request")
    {
        var lint = RuleLinter.LintText("t.yaml", Yaml(detection, observation));
        Assert.That(lint.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()), Is.Empty);
        return lint.Rules.Single();
    }

    /// <summary>The rule file's text around <paramref name="detection"/>.</summary>
    public static string Yaml(string detection, string observation = "http.request") => $"""
            id: t
            title: t
            level: low
            observation: {observation}
            detection:
            {string.Join("\n", detection.Split('\n').Select(l => "  " + l))}
            evidence:
              weight: 0.5
              strength: weak
            tests:
              match: []
              no_match: []
            """;
}
