namespace ShadowMcp.Core.Text;

/// <summary>
/// Whether a request path is under a path prefix the way a server routes it. A server, or a reverse proxy in front of
/// several, normalises the path before routing: it removes dot segments (<c>/mcp/../admin</c> is <c>/admin</c>),
/// decodes <c>%2e</c>, reads <c>\</c> as <c>/</c>, drops <c>;</c> parameters (<c>..;</c> is <c>..</c> to Java servers), and
/// each does it a little differently. So a path is under a prefix only when it is plain (none of those forms, which no
/// client of a real MCP endpoint sends) and the prefix is a whole-segment ancestor of it: <c>/mcp</c> covers
/// <c>/mcp</c> and <c>/mcp/github</c>, not <c>/mcp-admin</c>.
/// </summary>
public static class UrlPathForms
{
    /// <summary>
    /// Whether <paramref name="path"/> (without its query) is <paramref name="prefix"/> or under it by whole segments,
    /// and plain (<see cref="IsPlain"/>). A prefix of "/" or "" covers every plain path.
    /// </summary>
    public static bool IsUnder(ReadOnlySpan<char> path, ReadOnlySpan<char> prefix)
    {
        var p = prefix.TrimEnd('/');
        if (!path.StartsWith(p, StringComparison.Ordinal)) return false;
        if (path.Length > p.Length && path[p.Length] != '/') return false;
        return IsPlain(path);
    }

    /// <summary>
    /// Whether a server could read <paramref name="path"/> as another path: a <c>\</c>, an empty segment (<c>//</c>),
    /// a dot segment (<c>.</c>, <c>..</c>, also before a <c>;</c> parameter), a percent-encoded dot, slash, backslash,
    /// percent or control character, or a raw control character. False for those.
    /// </summary>
    public static bool IsPlain(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty || path[0] != '/') return false;
        for (int i = 0; i < path.Length; i++)
        {
            char c = path[i];
            if (c == '\\' || char.IsControl(c)) return false;
            if (c == '%' && !PlainEscape(path[(i + 1)..])) return false;
        }
        for (int start = 1; ; )
        {
            int slash = path[start..].IndexOf('/');
            var segment = slash < 0 ? path[start..] : path.Slice(start, slash);
            int parameter = segment.IndexOf(';');
            var name = parameter >= 0 ? segment[..parameter] : segment;
            if (name is "." or "..") return false;
            if (slash < 0) return true; // the last segment may be empty: "/mcp/"
            if (name.IsEmpty) return false; // "//", or "/;x/"
            start += slash + 1;
        }
    }

    // An escape that decodes to nothing a server routes by: not '.', '/', '\', '%', ';' or a control character.
    private static bool PlainEscape(ReadOnlySpan<char> rest)
    {
        if (rest.Length < 2 || !char.IsAsciiHexDigit(rest[0]) || !char.IsAsciiHexDigit(rest[1])) return false;
        int value = HexValue(rest[0]) * 16 + HexValue(rest[1]);
        return value >= 0x20 && value != 0x7f && value is not ('.' or '/' or '\\' or '%' or ';' or 0xc0 or 0xc1);
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
