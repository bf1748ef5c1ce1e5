using System.Text;
using System.Text.RegularExpressions;

namespace ShadowMcp.Portal.Aggregation;

/// <summary>
/// Decides whether a concrete URI could have come from an RFC 6570 URI template, so that a resources/read for
/// "files://repo/readme" reaches the upstream that offers "files://repo/{path}". Matching is by shape, the way
/// routers do it: simple expressions take one segment, reserved and fragment expressions take the rest, query
/// and path-style expressions are optional. The literal text around them must match exactly.
/// </summary>
internal static class UriTemplateMatcher
{
    public static Regex? Compile(string template)
    {
        var pattern = new StringBuilder("^");
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0) { pattern.Append(Regex.Escape(template[i..])); break; }
            pattern.Append(Regex.Escape(template[i..open]));
            var close = template.IndexOf('}', open);
            if (close < 0) return null; // not a template a server can expand either
            var expression = template.AsSpan(open + 1, close - open - 1);
            pattern.Append(expression.Length == 0 ? "" : expression[0] switch
            {
                '+' or '#' => ".*",
                '?' or '&' => @"(?:[?&][^#]*)?",
                '/' => @"(?:/[^?#]*)?",
                '.' => @"(?:\.[^/?#]*)?",
                ';' => @"(?:;[^/?#]*)?",
                _ => @"[^/?#]+",
            });
            i = close + 1;
        }
        pattern.Append('$');
        return new Regex(pattern.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
    }

    /// <summary>How much of the template is literal: the more, the more specific a match is.</summary>
    public static int LiteralLength(string template) => Regex.Replace(template, @"\{[^}]*\}", "").Length;
}
