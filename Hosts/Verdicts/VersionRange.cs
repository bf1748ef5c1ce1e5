using System.Globalization;

namespace ShadowMcp.Hosts.Verdicts;

/// <summary>
/// A version range as package managers write it: "1.2.3" (exact), "^1.2.3", "~1.2.3", "1.2.x", "&gt;=1.2 &lt;2",
/// alternatives joined by "||", "*" for any. Versions compare by their numeric parts; a version that is not
/// numeric (an image digest, a tag like "main") only matches itself.
/// </summary>
public sealed class VersionRange
{
    private readonly List<List<(string Op, string Version)>> _alternatives;

    private VersionRange(string text, List<List<(string, string)>> alternatives)
    {
        Text = text;
        _alternatives = alternatives;
    }

    public string Text { get; }

    public static VersionRange Parse(string text)
    {
        var alternatives = new List<List<(string, string)>>();
        foreach (var alt in text.Split("||", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var all = new List<(string, string)>();
            foreach (var part in alt.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var op = part.TakeWhile(c => c is '<' or '>' or '=' or '^' or '~' or '!').Count();
                var version = part[op..].TrimStart('v', 'V');
                if (version.Length == 0) throw new FormatException($"version range '{text}': '{part}' has no version");
                all.Add((part[..op] is "" or "==" ? "=" : part[..op], version));
            }
            if (all.Count > 0) alternatives.Add(all);
        }
        if (alternatives.Count == 0) throw new FormatException("empty version range");
        return new VersionRange(text, alternatives);
    }

    public bool Contains(string version)
    {
        var v = version.TrimStart('v', 'V');
        return _alternatives.Any(all => all.All(c => Satisfies(v, c.Op, c.Version)));
    }

    private static bool Satisfies(string v, string op, string bound)
    {
        if (bound is "*" or "x" or "X") return true;
        if (bound.EndsWith(".x", StringComparison.OrdinalIgnoreCase) || bound.EndsWith(".*", StringComparison.Ordinal))
        {
            // "1.2.x": the given parts must be equal, the rest may be anything.
            var prefix = bound[..^2].Split('.');
            var parts = v.Split('-', '+')[0].Split('.');
            return parts.Length >= prefix.Length && prefix.Select((p, i) => p == parts[i]).All(x => x);
        }
        var cv = Numbers(v);
        var cb = Numbers(bound);
        if (cv is null || cb is null) return op == "=" && string.Equals(v, bound, StringComparison.Ordinal);
        var cmp = Compare(cv, cb);
        return op switch
        {
            "=" => cmp == 0 && !IsPrerelease(v) | IsPrerelease(bound),
            ">" => cmp > 0,
            ">=" => cmp >= 0,
            "<" => cmp < 0,
            "<=" => cmp <= 0,
            "!=" => cmp != 0,
            // ^1.2.3: same major (same minor when major is 0); ~1.2.3: same major.minor.
            "^" => cmp >= 0 && (cb[0] != 0 ? cv[0] == cb[0] : cv[0] == 0 && cv[1] == cb[1]),
            "~" => cmp >= 0 && cv[0] == cb[0] && cv[1] == cb[1],
            _ => false,
        };
    }

    private static bool IsPrerelease(string v) => v.Contains('-');

    /// <summary>"1.2.3-beta" → [1,2,3]; missing parts are 0; null when the leading part is not a number.</summary>
    private static int[]? Numbers(string v)
    {
        var core = v.Split('-', '+')[0];
        var parts = core.Split('.');
        var n = new int[Math.Max(3, parts.Length)];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out n[i])) return null;
        return n;
    }

    private static int Compare(int[] a, int[] b)
    {
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var c = (i < a.Length ? a[i] : 0).CompareTo(i < b.Length ? b[i] : 0);
            if (c != 0) return c;
        }
        return 0;
    }

    public override string ToString() => Text;
}
