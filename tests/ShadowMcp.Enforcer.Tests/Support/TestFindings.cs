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
}
