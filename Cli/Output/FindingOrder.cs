using ShadowMcp.Core.Findings;

namespace ShadowMcp.Cli.Output;

/// <summary>How every command lists findings: shadow first, then by confidence, then by endpoint for a stable order.</summary>
internal static class FindingOrder
{
    public static List<Finding> ForDisplay(IEnumerable<Finding> findings) =>
        [.. findings.OrderBy(f => f.Verdict).ThenByDescending(f => f.Confidence).ThenBy(f => f.Endpoint.Key, StringComparer.Ordinal)];
}
