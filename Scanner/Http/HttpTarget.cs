using ShadowMcp.Core.Text;

namespace ShadowMcp.Scanner.Http;

/// <summary>Splits a request target into path and query, and normalises host names. No decoding.</summary>
internal static class HttpTarget
{
    /// <summary>
    /// Path and query of a target in origin-form (<c>/mcp?x=1</c>) or absolute-form (<c>http://h:1/mcp</c>,
    /// whose authority is returned too). Authority-form (CONNECT) and asterisk-form keep the target as path.
    /// </summary>
    public static (string Path, string? Query, string? Authority) Split(string target)
    {
        string? authority = null;
        string rest = target;
        int scheme = target.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && !target.StartsWith('/'))
        {
            int start = scheme + 3;
            // The span overload: a collection expression here would make a char array per call.
            int end = target.AsSpan(start).IndexOfAny('/', '?', '#');
            if (end >= 0) end += start;
            authority = end < 0 ? target[start..] : target[start..end];
            rest = end < 0 ? "/" : target[end..];
            if (rest.StartsWith('?')) rest = "/" + rest;
        }
        int hash = rest.IndexOf('#');
        if (hash >= 0) rest = rest[..hash];
        int q = rest.IndexOf('?');
        return q < 0 ? (rest, null, authority) : (rest[..q], rest[(q + 1)..], authority);
    }

    /// <summary>Lower-case host without port, userinfo or IPv6 brackets (<c>[::1]:8080</c> becomes <c>::1</c>).</summary>
    public static string NormalizeHost(string host)
    {
        var span = host.AsSpan().Trim();
        int at = span.LastIndexOf('@');
        if (at >= 0) span = span[(at + 1)..];
        if (span.StartsWith('['))
        {
            int close = span.IndexOf(']');
            span = close > 0 ? span[1..close] : span[1..];
        }
        else
        {
            int colon = span.IndexOf(':');
            if (colon >= 0 && span[(colon + 1)..].IndexOf(':') < 0) span = span[..colon];
        }
        span = span.TrimEnd('.');
        if (span.Length > StringCache.MaxChars) return span.ToString().ToLowerInvariant();
        // Hosts repeat request after request: the normalised name comes from the shared table, not a new substring.
        Span<char> lower = stackalloc char[StringCache.MaxChars];
        int length = span.ToLowerInvariant(lower);
        return StringCache.Get(lower[..length]);
    }
}
