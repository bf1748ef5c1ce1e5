using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Dlp;

namespace ShadowMcp.Portal.Gateway;

/// <summary>Applies a server's DLP actions to arguments going out and results coming back.</summary>
internal static class DlpGuard
{
    public static DlpAction Parse(string action) => action switch
    {
        "block" => DlpAction.Block,
        "redact" => DlpAction.Redact,
        "log" => DlpAction.Log,
        _ => DlpAction.Off,
    };

    /// <returns>The arguments to forward (redacted if so configured) and the hits.</returns>
    public static (IDictionary<string, JsonElement>? Arguments, DlpScanResult Result) Outbound(DlpSettings dlp, IDictionary<string, JsonElement>? arguments) =>
        arguments is null || arguments.Count == 0 ? (arguments, DlpScanResult.Clean) : Apply(dlp.Arguments, arguments, "tool arguments");

    public static (T Value, DlpScanResult Result) Inbound<T>(DlpSettings dlp, T value) where T : class =>
        Apply(dlp.Results, value, "the upstream result");

    /// <summary>
    /// Applies one DLP action to any MCP payload: results and relayed sampling/elicitation requests use the
    /// server's "results" action (upstream to caller), answers to them the "arguments" action (caller to upstream).
    /// </summary>
    public static (T Value, DlpScanResult Result) Apply<T>(string configuredAction, T value, string what) where T : class
    {
        var action = Parse(configuredAction);
        if (action == DlpAction.Off) return (value, DlpScanResult.Clean);
        if (!DlpPrescan.MayMatch(value, McpJsonUtilities.DefaultOptions)) return (value, DlpScanResult.Clean);
        var node = JsonSerializer.SerializeToNode(value, McpJsonUtilities.DefaultOptions);
        var result = DlpScanner.Scan(node, action == DlpAction.Redact);
        if (result.Hits.Count == 0) return (value, result);
        if (action == DlpAction.Block) throw PortalErrors.Dlp(what, result.Summary);
        if (action == DlpAction.Redact) value = node.Deserialize<T>(McpJsonUtilities.DefaultOptions)!;
        return (value, result);
    }
}
