using ShadowMcp.Classifier.Rules;

namespace ShadowMcp.Classifier.Loading;

/// <summary>What linting a rules directory produced: the rules that compiled, and every diagnostic.</summary>
public sealed class RuleLintResult(IReadOnlyList<string> files, IReadOnlyList<Rule> rules, IReadOnlyList<RuleDiagnostic> diagnostics)
{
    public IReadOnlyList<string> Files { get; } = files;
    /// <summary>Rules that compiled without errors (a rule with an error is left out).</summary>
    public IReadOnlyList<Rule> Rules { get; } = rules;
    public IReadOnlyList<RuleDiagnostic> Diagnostics { get; } = diagnostics;
    /// <summary>The host catalog read from the *.catalog.yaml files (empty when there were none).</summary>
    public HostCatalog Catalog { get; init; } = new();

    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}
