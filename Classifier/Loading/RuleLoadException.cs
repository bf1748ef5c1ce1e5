namespace ShadowMcp.Classifier.Loading;

/// <summary>Thrown when the rules cannot be used: it carries every diagnostic so the caller can print them all.</summary>
public sealed class RuleLoadException(IReadOnlyList<RuleDiagnostic> diagnostics)
    : Exception(BuildMessage(diagnostics))
{
    public IReadOnlyList<RuleDiagnostic> Diagnostics { get; } = diagnostics;

    private static string BuildMessage(IReadOnlyList<RuleDiagnostic> diagnostics)
    {
        var errors = diagnostics.Where(d => d.IsError).ToList();
        return errors.Count == 0
            ? "the rules could not be loaded"
            : $"{errors.Count} error(s) in the rules:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}";
    }
}
