namespace ShadowMcp.Portal.Config;

/// <summary>Tool-name globs: '*' matches any run of characters, '?' one character. Case-sensitive, like MCP names.</summary>
internal static class Glob
{
    public static bool IsMatch(string pattern, string name) => Match(pattern.AsSpan(), name.AsSpan());

    public static bool Any(IEnumerable<string> patterns, string name) => patterns.Any(p => IsMatch(p, name));

    private static bool Match(ReadOnlySpan<char> p, ReadOnlySpan<char> s)
    {
        int pi = 0, si = 0, star = -1, mark = 0;
        while (si < s.Length)
        {
            if (pi < p.Length && (p[pi] == '?' || p[pi] == s[si])) { pi++; si++; }
            else if (pi < p.Length && p[pi] == '*') { star = pi++; mark = si; }
            else if (star >= 0) { pi = star + 1; si = ++mark; }
            else return false;
        }
        while (pi < p.Length && p[pi] == '*') pi++;
        return pi == p.Length;
    }
}
