using System.Security.Cryptography;
using System.Text;

namespace ShadowMcp.Portal.Aggregation;

/// <summary>
/// Gives every (prefix, server, tool) a unique exposed name "{prefix}_{tool}" (just "{tool}" for an empty
/// prefix) of at most 64 characters from
/// [A-Za-z0-9_.-]. A name that is too long, or that two different tools would share, gets a hash suffix of the
/// full identity instead; the suffix grows until names are unique. Deterministic for the same input set.
/// </summary>
internal static class ToolNamer
{
    public const int MaxLength = 64;
    private const int MinHashChars = 8;

    public static Dictionary<(string ServerId, string Tool), string> Assign(IEnumerable<(string Prefix, string ServerId, string Tool)> tools)
    {
        var items = tools.Distinct().OrderBy(t => t.ServerId, StringComparer.Ordinal).ThenBy(t => t.Tool, StringComparer.Ordinal).ToList();
        var plain = items.ToDictionary(t => (t.ServerId, t.Tool), t => Sanitize(t.Prefix.Length == 0 ? t.Tool : $"{t.Prefix}_{t.Tool}"));
        var counts = plain.Values.GroupBy(n => n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new Dictionary<(string, string), string>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        // Names that need no shortening and collide with nothing keep their plain form; reserve them first.
        foreach (var t in items)
        {
            var name = plain[(t.ServerId, t.Tool)];
            if (name.Length <= MaxLength && counts[name] == 1 && taken.Add(name)) result[(t.ServerId, t.Tool)] = name;
        }
        foreach (var t in items)
        {
            if (result.ContainsKey((t.ServerId, t.Tool))) continue;
            var name = plain[(t.ServerId, t.Tool)];
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{t.ServerId}\0{t.Tool}")));
            for (var n = MinHashChars; ; n++)
            {
                var suffix = "_" + hash[..n];
                var candidate = name[..Math.Min(name.Length, MaxLength - suffix.Length)] + suffix;
                if (taken.Add(candidate)) { result[(t.ServerId, t.Tool)] = candidate; break; }
            }
        }
        return result;
    }

    internal static string Sanitize(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_');
        return sb.ToString();
    }
}
