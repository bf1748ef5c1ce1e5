using ShadowMcp.Core.Findings;
using ShadowMcp.Scanner.Flows;

namespace ShadowMcp.Cli.Scanning;

/// <summary>
/// Whether a flow carried MCP, decided from the findings it counts toward: a finding at the flow's server
/// address and port (the flow's own content, plaintext or decrypted), else a finding for a name the flow used
/// (SNI, DNS question, Host). Shadow or sanctioned means "mcp"; a suspected finding (weak evidence) "unknown".
/// Without a finding: "not-mcp" when the flow's content was read, "unknown" when it was not (TLS without keys).
/// A flow to an MCP server that carried no readable content is "unknown" but still names the endpoint.
/// </summary>
internal sealed record FlowVerdict(string Verdict, double? Score, string? Basis, string? Transport, string? Endpoint)
{
    public static FlowVerdict For(FlowRecord flow, IReadOnlyList<Finding> findings)
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
        if (byAddress is not null)
        {
            // A connection to the server that carried nothing readable (an idle keep-alive) counts toward it unjudged.
            return facts.ContentSeen ? Of(byAddress, facts.Decrypted ? "decrypted" : "plaintext")
                : new FlowVerdict("unknown", null, null, byAddress.Transport, byAddress.Endpoint.Key);
        }
        if (byName is not null) return Of(byName, "name");
        return facts.ContentSeen ? new FlowVerdict("not-mcp", 0, facts.Decrypted ? "decrypted" : "plaintext", null, null)
            : new FlowVerdict("unknown", null, null, null, null);
    }

    private static bool Better(Finding candidate, Finding? best) => best is null || candidate.Confidence > best.Confidence;

    private static FlowVerdict Of(Finding f, string basis) =>
        new(f.Verdict == Core.Findings.Verdict.Suspected ? "unknown" : "mcp", Math.Round(f.Confidence, 3), basis, f.Transport, f.Endpoint.Key);
}
