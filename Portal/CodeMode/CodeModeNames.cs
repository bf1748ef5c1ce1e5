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

    /// <summary>
    /// Sanitized name → exposed name. A name that is already an identifier keeps it, and so does a name that is
    /// the only one to sanitize to its identifier; names that only sanitizing made equal all get numeric suffixes.
    /// Before, the first in sort order took the plain identifier: `gh_ent-list` (from server gh) sorts before
    /// `gh_ent_list` (server gh_ent's `list`), so a server could take another's `codemode.gh_ent_list` and receive
    /// the arguments meant for it by publishing a tool whose name differs by one character.
    /// </summary>
    public static Dictionary<string, string> Map(IEnumerable<string> exposedNames)
    {
        var names = exposedNames.Distinct(StringComparer.Ordinal).ToList();
        var ids = names.Select(Sanitize).ToList();
        var sharing = ids.GroupBy(id => id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
            if (ids[i] == names[i] || sharing[ids[i]] == 1) map[ids[i]] = names[i];
        for (var i = 0; i < names.Count; i++)
        {
            if (ids[i] == names[i] || sharing[ids[i]] == 1) continue;
            // A suffixed identifier is never one that some name sanitizes to, so none of them looks like another's.
            var unique = ids[i];
            for (var n = 2; map.ContainsKey(unique) || sharing.ContainsKey(unique); n++) unique = $"{ids[i]}_{n}";
            map[unique] = names[i];
        }
        return map;
    }
}
