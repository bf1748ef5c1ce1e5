using ShadowMcp.Core.Findings;

namespace ShadowMcp.Enforcer.Tests.Support;

internal static class TestFindings
{
    public static readonly DateTime Seen = new(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);

    public static Finding Shadow(string? address, int? port, string? host, string? path = "/mcp", double confidence = 0.95,
        string level = "high", Verdict verdict = Verdict.Shadow, DateTime? lastSeen = null, params string[] hosts)
    {
        var f = new Finding
        {
            Endpoint = new Endpoint(address, port, host, path),
            Verdict = verdict,
            Confidence = confidence,
            FirstSeen = Seen,
            LastSeen = lastSeen ?? Seen,
            Flows = 1,
        };
        foreach (var h in hosts) f.Hosts.Add(h);
        f.Evidence.Add(new Evidence { Rule = "mcp-initialize-request", Detail = "method=initialize", Level = level, Weight = 0.9, FirstSeen = Seen, LastSeen = Seen });
        return f;
    }

    /// <summary>
    /// A finding as the shape rules file it (rules/mcp-shape.yaml): an address and port, no path, the shape model's
    /// evidence only, shadow because several clients were MCP-shaped. <paramref name="alsoRule"/> adds one more
    /// evidence row (a name or content rule) beside the shape ones.
    /// </summary>
    public static Finding ShapeShadow(string address, int port, string? alsoRule = null)
    {
        var f = new Finding
        {
            Endpoint = new Endpoint(address, port, null, null),
            Verdict = Verdict.Shadow,
            Confidence = 0.9,
            FirstSeen = Seen,
            LastSeen = Seen,
            Flows = 6,
        };
        f.Evidence.Add(new Evidence { Rule = "mcp-shape-session", Detail = "score=0.97", Level = "medium", Weight = 0.4, FirstSeen = Seen, LastSeen = Seen });
        f.Evidence.Add(new Evidence { Rule = "mcp-shape-several-clients", Detail = "clients=several", Level = "high", Weight = 0.5, FirstSeen = Seen, LastSeen = Seen });
        if (alsoRule is not null)
            f.Evidence.Add(new Evidence { Rule = alsoRule, Detail = "seen", Level = "high", Weight = 0.9, FirstSeen = Seen, LastSeen = Seen });
        return f;
    }
}
