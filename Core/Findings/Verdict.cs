namespace ShadowMcp.Core.Findings;

public enum Verdict
{
    /// <summary>MCP traffic to an endpoint nobody approved.</summary>
    Shadow,
    /// <summary>MCP traffic to the portal, one of its upstreams, or the configured allow list.</summary>
    Sanctioned,
    /// <summary>Weak evidence only (an mcp.* hostname, a lone header): worth a look, not a block.</summary>
    Suspected,
}

public static class VerdictNames
{
    public static string ToWire(this Verdict v) => v switch
    {
        Verdict.Shadow => "shadow",
        Verdict.Sanctioned => "sanctioned",
        _ => "suspected",
    };

    /// <summary>
    /// A stored or received verdict name; an unknown one (a damaged row, a newer writer) reads as
    /// <see cref="Verdict.Suspected"/>, the weakest: listed for triage, never blocked for it.
    /// </summary>
    public static Verdict ParseOrSuspected(string? text) => TryParse(text, out var v) ? v : Verdict.Suspected;

    public static bool TryParse(string? text, out Verdict verdict)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "shadow": verdict = Verdict.Shadow; return true;
            case "sanctioned": verdict = Verdict.Sanctioned; return true;
            case "suspected": verdict = Verdict.Suspected; return true;
            default: verdict = default; return false;
        }
    }
}
