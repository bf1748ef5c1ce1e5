using System.Text;
using System.Text.RegularExpressions;

namespace ShadowMcp.Core.Observations.Catalogue;

/// <summary>
/// Generates the field tables of docs/observations.md from <see cref="ObservationCatalogue"/>. The prose around
/// them is written by hand; each table sits between <c>&lt;!-- fields: KIND --&gt;</c> and
/// <c>&lt;!-- end fields --&gt;</c> (<c>flow</c> for the Classifier's flow fields) and is replaced whole.
/// </summary>
public static partial class ObservationDoc
{
    public const string FlowBlock = "flow";

    [GeneratedRegex(@"<!-- fields: (?<kind>[a-z.]+) -->\n.*?<!-- end fields -->", RegexOptions.Singleline)]
    private static partial Regex Block();

    /// <summary>The document with every field table regenerated.</summary>
    /// <exception cref="InvalidOperationException">A block names an unknown kind, or a kind has no block.</exception>
    public static string Render(string document)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rendered = Block().Replace(document.ReplaceLineEndings("\n"), match =>
        {
            var kind = match.Groups["kind"].Value;
            seen.Add(kind);
            var fields = kind == FlowBlock
                ? ObservationCatalogue.FlowFields
                : ObservationCatalogue.Find(kind)?.Fields ?? throw new InvalidOperationException($"the doc has a table for unknown kind '{kind}'");
            return $"<!-- fields: {kind} -->\n{Table(fields)}<!-- end fields -->";
        });
        var missing = ObservationCatalogue.Kinds.Select(k => k.Kind).Where(k => !seen.Contains(k)).ToList();
        if (missing.Count > 0) throw new InvalidOperationException($"the doc has no field table for: {string.Join(", ", missing)}");
        return rendered;
    }

    public static string Table(IEnumerable<ObservationField> fields)
    {
        var table = new StringBuilder("| field | type | values | meaning |\n|---|---|---|---|\n");
        foreach (var field in fields)
        {
            var meaning = field.Names is null ? field.Meaning : $"{field.Meaning}; NAME is one of: {string.Join(", ", field.Names)}";
            var values = field.Cardinality == FieldCardinality.One ? "one" : "many";
            table.Append($"| `{field.DisplayName}` | {field.Type.ToString().ToLowerInvariant()} | {values} | {meaning} |\n");
        }
        return table.ToString();
    }
}
