using ShadowMcp.Classifier.Rules;

namespace ShadowMcp.Classifier.Loading;

/// <summary>
/// Reads rule files and reports every problem as <c>file:line:column: error|warning: message</c>: YAML syntax,
/// unknown keys, missing or bad fields, bad regexes and CIDRs, unknown modifiers, condition errors and
/// duplicate ids across files. Never throws for bad rule content.
/// </summary>
public static class RuleLinter
{
    /// <summary>
    /// Lints every *.yaml / *.yml file under <paramref name="directory"/> (recursively, in name order); files named
    /// <c>*.catalog.yaml</c> are the host catalog (<see cref="HostCatalog"/>) that rules name with <c>|catalog</c>.
    /// </summary>
    public static RuleLintResult LintDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            return new RuleLintResult([], [], [new RuleDiagnostic(directory, 1, 1, DiagnosticSeverity.Error, "rules directory not found")]);
        var files = Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
            return new RuleLintResult([], [], [new RuleDiagnostic(directory, 1, 1, DiagnosticSeverity.Error, "no rule files (*.yaml) in the rules directory")]);
        return LintFiles(files);
    }

    public static RuleLintResult LintFiles(IEnumerable<string> files)
    {
        var sources = new List<(string File, string? Text, string? ReadError)>();
        foreach (var file in files.OrderBy(f => IsCatalog(f) ? 0 : 1))
        {
            try
            {
                sources.Add((file, File.ReadAllText(file), null));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                sources.Add((file, null, ex.Message));
            }
        }
        return Lint(sources);
    }

    /// <summary>Lints rule text held in memory; <paramref name="file"/> names it in diagnostics.</summary>
    public static RuleLintResult LintText(string file, string text) => Lint([(file, text, null)]);

    public static RuleLintResult LintTexts(IEnumerable<(string File, string Text)> sources) =>
        Lint(sources.Select(s => (s.File, (string?)s.Text, (string?)null)).ToList());

    private static bool IsCatalog(string file) => file.EndsWith(HostCatalog.FileSuffix, StringComparison.OrdinalIgnoreCase);

    private static RuleLintResult Lint(IReadOnlyList<(string File, string? Text, string? ReadError)> sources)
    {
        var diagnostics = new List<RuleDiagnostic>();
        // Catalogs first, so every rule file sees all of them.
        var catalog = new HostCatalog();
        foreach (var (file, text, _) in sources)
        {
            if (text is not null && IsCatalog(file)) catalog.Load(file, text, diagnostics);
        }
        var rules = new List<Rule>();
        var firstById = new Dictionary<string, RuleFileParser.ParsedRule>(StringComparer.Ordinal);
        foreach (var (file, text, readError) in sources)
        {
            if (text is null)
            {
                diagnostics.Add(new RuleDiagnostic(file, 1, 1, DiagnosticSeverity.Error, $"cannot read the file: {readError}"));
                continue;
            }
            if (IsCatalog(file)) continue;
            foreach (var parsed in RuleFileParser.Parse(file, text, diagnostics, catalog))
            {
                if (firstById.TryGetValue(parsed.Rule.Id, out var first))
                {
                    diagnostics.Add(new RuleDiagnostic(file, parsed.IdLine, parsed.IdColumn, DiagnosticSeverity.Error,
                        $"duplicate id '{parsed.Rule.Id}' (first defined at {first.Rule.File}:{first.IdLine}:{first.IdColumn})"));
                    continue;
                }
                firstById[parsed.Rule.Id] = parsed;
                rules.Add(parsed.Rule);
            }
        }
        var ordered = diagnostics
            .OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column)
            .ToList();
        return new RuleLintResult(sources.Select(s => s.File).ToList(), rules, ordered) { Catalog = catalog };
    }
}
