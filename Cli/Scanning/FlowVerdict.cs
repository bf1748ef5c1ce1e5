using ShadowMcp.Core.Findings;
using ShadowMcp.Scanner.Flows;

namespace ShadowMcp.Cli.Scanning;

/// <summary>
/// Whether a flow carried MCP, decided from the findings it counts toward: a finding at the flow's server
/// address and port (the flow's own content, plaintext or decrypted), else a finding for a name the flow used
/// (SNI, DNS question, Host). Shadow or sanctioned means "mcp"; a suspected finding (weak evidence) "unknown".
/// Without a finding: "not-mcp" when the flow's content was read, "unknown" when it was not (TLS without keys).
/// A flow to an MCP server that carried no readable content is "unknown" but still names the endpoint.
/// A TLS flow without keys that the shape model scored is "mcp" or "not-mcp" with basis "shape" and its score
/// (docs/shape-classifier.md), unless a name finding covers it.
/// </summary>
internal sealed record FlowVerdict(string Verdict, double? Score, string? Basis, string? Transport, string? Endpoint)
{
    /// <param name="shape">Shape scores of TLS flows without keys by flow key, and the threshold; null when off.</param>
    public static FlowVerdict For(FlowRecord flow, IReadOnlyList<Finding> findings,
        (IReadOnlyDictionary<string, double> Scores, double Threshold)? shape = null)
    {
        Finding? byAddress = null, byName = null;
        foreach (var f in findings)
        {
            var e = f.Endpoint;
            if (e.Address is not null)
            {
                if (e.Address == flow.ServerAddress && e.Port == flow.ServerPort && Better(f, byAddress)) byAddress = f;
            }
            else if (e.Host is not null && (e.Host == flow.Facts.Sni || flow.Facts.Names.Contains(e.Host)) && Better(f, byName))
            {
                byName = f;
            }
        }
        var facts = flow.Facts;
        double? shapeScore = shape is { } sh && !facts.ContentSeen && sh.Scores.TryGetValue(flow.Key, out var sc)
            ? sc : null;
        if (byAddress is not null && (facts.ContentSeen || shapeScore is null))
        {
            // A connection to the server that carried nothing readable (an idle keep-alive) counts toward it unjudged.
            return facts.ContentSeen ? Of(byAddress, facts.Decrypted ? "decrypted" : "plaintext")
                : new FlowVerdict("unknown", null, null, byAddress.Transport, byAddress.Endpoint.Key);
        }
        if (byName is not null) return Of(byName, "name");
        if (shapeScore is { } score)
        {
            // The flow's own shape decides it; the finding (suspected or shadow) says how sure the whole server is.
            return score >= shape!.Value.Threshold
                ? new FlowVerdict("mcp", score, "shape", byAddress?.Transport, byAddress?.Endpoint.Key)
                : new FlowVerdict("not-mcp", score, "shape", null, null);
        }
        return facts.ContentSeen ? new FlowVerdict("not-mcp", 0, facts.Decrypted ? "decrypted" : "plaintext", null, null)
            : new FlowVerdict("unknown", null, null, null, null);
    }

    private static bool Better(Finding candidate, Finding? best) => best is null || candidate.Confidence > best.Confidence;

    private static FlowVerdict Of(Finding f, string basis) =>
        new(f.Verdict == Core.Findings.Verdict.Suspected ? "unknown" : "mcp", Math.Round(f.Confidence, 3), basis, f.Transport, f.Endpoint.Key);
}
