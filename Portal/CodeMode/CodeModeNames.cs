using System.Collections.Frozen;
using System.Text;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>Turns exposed tool names into JavaScript identifiers for `codemode.&lt;name&gt;`.</summary>
internal static class CodeModeNames
{
    private static readonly FrozenSet<string> Reserved = new[]
    {
        "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum",
        "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null",
        "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield",
        "let", "static", "implements", "interface", "package", "private", "protected", "public", "await", "async",
        "arguments", "eval", "undefined", "NaN", "Infinity",
        // Members of the codemode object itself and of Object.prototype must not be shadowed.
        "tools", "declarations", "constructor", "prototype", "__proto__", "toString", "valueOf", "hasOwnProperty",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static string Sanitize(string name)
    {
        var sb = new StringBuilder(name.Length + 2);
        foreach (var c in name)
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '$' ? c : '_');
        if (sb.Length == 0 || char.IsAsciiDigit(sb[0])) sb.Insert(0, "t_");
        var id = sb.ToString();
        return Reserved.Contains(id) ? id + "_" : id;
    }

    /// <summary>Sanitized name → exposed name; a collision after sanitizing gets a numeric suffix.</summary>
    public static Dictionary<string, string> Map(IEnumerable<string> exposedNames)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in exposedNames)
        {
            var id = Sanitize(name);
            var unique = id;
            for (var i = 2; map.ContainsKey(unique); i++) unique = $"{id}_{i}";
            map[unique] = name;
        }
        return map;
    }
}
