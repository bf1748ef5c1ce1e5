using System.Text.RegularExpressions;
using ModelContextProtocol.Protocol;

namespace ShadowMcp.Portal.Aggregation;

/// <summary>An upstream resource template, kept as the upstream wrote it, with the matcher that routes reads to it.</summary>
internal sealed record ExposedResourceTemplate(string ServerId, ResourceTemplate Definition, Regex Matcher, int Specificity)
{
    public static ExposedResourceTemplate? Create(string serverId, ResourceTemplate definition) =>
        UriTemplateMatcher.Compile(definition.UriTemplate) is { } matcher
            ? new(serverId, definition, matcher, UriTemplateMatcher.LiteralLength(definition.UriTemplate))
            : null;

    public bool Matches(string uri)
    {
        try { return Matcher.IsMatch(uri); }
        catch (RegexMatchTimeoutException) { return false; }
    }
}
