using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>
/// Writes a TypeScript type for a JSON Schema: $ref (local pointers), anyOf/oneOf, allOf, enum/const, arrays and
/// tuples, nullable, additionalProperties, descriptions as comments. Deep or recursive schemas end in `unknown`.
/// </summary>
internal sealed partial class SchemaTypeScript(JsonElement root, int maxDepth = 8, int maxChars = SchemaTypeScript.MaxChars)
{
    /// <summary>
    /// Characters one schema may produce, counted at every level (nesting counts more than once). A $ref expands
    /// at each use, so a schema of 3 KB whose definitions each refer to the next twelve times grew as 12^depth:
    /// one declarations() call built gigabytes in the portal. Past the budget the rest of the schema is `unknown`.
    /// </summary>
    public const int MaxChars = 256 * 1024;

    private readonly HashSet<string> _expanding = new(StringComparer.Ordinal);
    private long _produced;

    /// <summary>Whether the budget ran out and parts of the type were written as `unknown`.</summary>
    public bool Exhausted => _produced > maxChars;

    public static string Declaration(string identifier, string? description, JsonElement inputSchema, JsonElement? outputSchema, int maxDepth = 8)
    {
        var sb = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(description)) sb.Append("  ").Append(Comment(description, "  ")).Append('\n');
        var inputWriter = new SchemaTypeScript(inputSchema, maxDepth);
        var input = inputWriter.Type(inputSchema, 1);
        var outputWriter = outputSchema is { } o ? new SchemaTypeScript(o, maxDepth) : null;
        var output = outputWriter?.Type(outputSchema!.Value, 1) ?? "unknown";
        if (inputWriter.Exhausted || outputWriter?.Exhausted == true)
            sb.Append("  // parts of this schema are too large to declare and are written as unknown\n");
        sb.Append("  function ").Append(identifier).Append("(args: ").Append(input).Append("): Promise<").Append(output).Append(">;\n");
        return sb.ToString();
    }

    public string Type(JsonElement schema, int depth)
    {
        if (schema.ValueKind == JsonValueKind.True) return "unknown";
        if (schema.ValueKind == JsonValueKind.False) return "never";
        if (schema.ValueKind != JsonValueKind.Object) return "unknown";
        if (depth > maxDepth || Exhausted) return "unknown";

        var type = Core(schema, depth);
        if (schema.TryGetProperty("nullable", out var n) && n.ValueKind == JsonValueKind.True && type != "unknown") type = $"{Wrap(type)} | null";
        _produced += type.Length;
        return type;
    }

    private string Core(JsonElement s, int depth)
    {
        if (s.TryGetProperty("$ref", out var r) && r.ValueKind == JsonValueKind.String) return Ref(r.GetString()!, depth);
        if (s.TryGetProperty("const", out var c)) return Literal(c);
        if (s.TryGetProperty("enum", out var e) && e.ValueKind == JsonValueKind.Array)
            return e.GetArrayLength() == 0 ? "never" : string.Join(" | ", e.EnumerateArray().Select(Literal));
        foreach (var key in (string[])["anyOf", "oneOf"])
            if (s.TryGetProperty(key, out var alts) && alts.ValueKind == JsonValueKind.Array)
                return Union(alts.EnumerateArray().Select(a => Type(a, depth + 1)));
        if (s.TryGetProperty("allOf", out var all) && all.ValueKind == JsonValueKind.Array)
        {
            var parts = all.EnumerateArray().Select(a => Wrap(Type(a, depth + 1))).Where(t => t != "unknown").Distinct().ToList();
            if (HasObjectShape(s)) parts.Add(Object(s, depth));
            return parts.Count == 0 ? "unknown" : string.Join(" & ", parts);
        }
        if (s.TryGetProperty("type", out var t))
        {
            if (t.ValueKind == JsonValueKind.Array)
                return Union(t.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => Named(x.GetString()!, s, depth)));
            if (t.ValueKind == JsonValueKind.String) return Named(t.GetString()!, s, depth);
        }
        if (HasObjectShape(s)) return Object(s, depth);
        if (s.TryGetProperty("items", out _) || s.TryGetProperty("prefixItems", out _)) return Array(s, depth);
        return "unknown";
    }

    private string Named(string type, JsonElement s, int depth) => type switch
    {
        "string" => "string",
        "number" or "integer" => "number",
        "boolean" => "boolean",
        "null" => "null",
        "array" => Array(s, depth),
        "object" => Object(s, depth),
        _ => "unknown",
    };

    private static bool HasObjectShape(JsonElement s) =>
        s.TryGetProperty("properties", out _) || s.TryGetProperty("additionalProperties", out _);

    private string Object(JsonElement s, int depth)
    {
        var indent = new string(' ', 2 * (depth + 1));
        var closing = new string(' ', 2 * depth);
        var required = s.TryGetProperty("required", out var req) && req.ValueKind == JsonValueKind.Array
            ? req.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        var lines = new List<string>();
        if (s.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in props.EnumerateObject())
            {
                var doc = p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String
                    ? Comment(d.GetString()!, indent) + "\n" + indent : "";
                lines.Add($"{indent}{doc}{PropertyName(p.Name)}{(required.Contains(p.Name) ? "" : "?")}: {Type(p.Value, depth + 1)};");
            }
        }
        var hasAdditional = s.TryGetProperty("additionalProperties", out var extra);
        if (hasAdditional && extra.ValueKind == JsonValueKind.Object)
            lines.Add($"{indent}[key: string]: {Type(extra, depth + 1)};");
        else if (lines.Count == 0)
            return hasAdditional && extra.ValueKind == JsonValueKind.False ? "{}" : "Record<string, unknown>";
        return "{\n" + string.Join("\n", lines) + "\n" + closing + "}";
    }

    private string Array(JsonElement s, int depth)
    {
        var tuple = s.TryGetProperty("prefixItems", out var prefix) && prefix.ValueKind == JsonValueKind.Array ? prefix
            : s.TryGetProperty("items", out var legacy) && legacy.ValueKind == JsonValueKind.Array ? legacy : default;
        if (tuple.ValueKind == JsonValueKind.Array)
        {
            var members = tuple.EnumerateArray().Select(i => Type(i, depth + 1)).ToList();
            if (prefix.ValueKind == JsonValueKind.Array && s.TryGetProperty("items", out var rest) && rest.ValueKind is JsonValueKind.Object or JsonValueKind.True)
                members.Add("..." + Wrap(Type(rest, depth + 1)) + "[]");
            return "[" + string.Join(", ", members) + "]";
        }
        return s.TryGetProperty("items", out var items) ? Wrap(Type(items, depth + 1)) + "[]" : "unknown[]";
    }

    private string Ref(string reference, int depth)
    {
        if (!reference.StartsWith('#')) return "unknown";
        if (!_expanding.Add(reference)) return "unknown /* recursive */";
        try
        {
            var target = Resolve(reference);
            return target is { } t ? Type(t, depth) : "unknown";
        }
        finally { _expanding.Remove(reference); }
    }

    private JsonElement? Resolve(string reference)
    {
        var current = root;
        foreach (var raw in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var part = Uri.UnescapeDataString(raw).Replace("~1", "/").Replace("~0", "~");
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(part, out var next)) current = next;
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(part, out var i) && i >= 0 && i < current.GetArrayLength()) current = current[i];
            else return null;
        }
        return current;
    }

    private static string Union(IEnumerable<string> types)
    {
        var list = types.Distinct().ToList();
        if (list.Count == 0) return "unknown";
        return list.Contains("unknown") ? "unknown" : string.Join(" | ", list.Select(Wrap));
    }

    private static string Wrap(string type) =>
        type.StartsWith('{') || type.StartsWith('[') || (!type.Contains(" | ") && !type.Contains(" & ")) ? type : $"({type})";

    private static string Literal(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => value.GetRawText(),
        _ => "unknown",
    };

    private static string PropertyName(string name) => Identifier().IsMatch(name) ? name : JsonSerializer.Serialize(name);

    private static string Comment(string text, string indent)
    {
        var clean = text.Replace("*/", "* /").Trim();
        var lines = clean.Split('\n', StringSplitOptions.TrimEntries);
        return lines.Length == 1 ? $"/** {clean} */" : "/**\n" + string.Join("\n", lines.Select(l => $"{indent} * {l}")) + $"\n{indent} */";
    }

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$]*$")]
    private static partial Regex Identifier();
}
