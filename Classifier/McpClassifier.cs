using ShadowMcp.Classifier.Loading;
using ShadowMcp.Classifier.Rules;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier;

/// <summary>
/// The Classifier's front door: lint and compile the rules once, then aggregate observations into findings.
/// (Not named <c>Classifier</c>: that would clash with the <c>ShadowMcp.Classifier</c> namespace in callers.)
/// </summary>
public sealed class McpClassifier
{
    private McpClassifier(RuleSet rules, ClassifierOptions options, IReadOnlyList<RuleDiagnostic> warnings)
    {
        Rules = rules;
        Options = options;
        Warnings = warnings;
    }

    public RuleSet Rules { get; }
    public ClassifierOptions Options { get; }
    /// <summary>Lint warnings of the loaded rules (errors prevent creation).</summary>
    public IReadOnlyList<RuleDiagnostic> Warnings { get; }

    /// <summary>
    /// Lints <paramref name="rulesDirectory"/> and compiles its rules. Throws <see cref="RuleLoadException"/>
    /// carrying every diagnostic when any rule has an error, before any observation is read.
    /// </summary>
    public static McpClassifier Create(string rulesDirectory, ClassifierOptions? options = null)
    {
        var lint = RuleLinter.LintDirectory(rulesDirectory);
        if (lint.HasErrors) throw new RuleLoadException(lint.Diagnostics);
        var rules = new RuleSet(lint.Rules);
        rules.PrepareInBackground();
        return new McpClassifier(rules, options ?? new ClassifierOptions(), lint.Diagnostics);
    }

    /// <summary>Uses already compiled rules (tests, or a host that lints separately).</summary>
    public static McpClassifier Create(RuleSet rules, ClassifierOptions? options = null) =>
        new(rules, options ?? new ClassifierOptions(), []);

    /// <summary>A fresh aggregator for one scan; feed it observations file by file and snapshot as needed.</summary>
    public FindingAggregator CreateAggregator() => new(Rules, Options);

    /// <summary>Re-judges a finding a remote sensor reported, with these rules and this sanctioned list.</summary>
    public void Rejudge(Finding reported) => Aggregation.ReportedFindingJudge.Judge(reported, Rules, Options);

    /// <summary>Classifies a whole sequence at once (streamed: observations are not kept).</summary>
    public IReadOnlyList<Finding> Classify(IEnumerable<Observation> observations)
    {
        var aggregator = CreateAggregator();
        aggregator.AddRange(observations);
        return aggregator.Snapshot();
    }

    /// <summary>The raw rule hits, without aggregation (for `rules` tooling and debugging).</summary>
    public IEnumerable<EvidenceHit> Hits(IEnumerable<Observation> observations) => Rules.Classify(observations);
}
