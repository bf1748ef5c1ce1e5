using System.Text.Json;
using ModelContextProtocol;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Dlp;

/// <summary>Applies a server's DLP actions to arguments going out, and to results and errors coming back.</summary>
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
    /// An upstream's JSON-RPC error is upstream text too: its message passes the results action. Blocked:
    /// <see cref="DlpBlockedException"/>; redacted: the same code with the message redacted.
    /// </summary>
    public static (McpProtocolException Error, DlpScanResult Result) InboundError(DlpSettings dlp, McpProtocolException error)
    {
        var action = Parse(dlp.Results);
        if (action == DlpAction.Off || !DlpText.Any(error.Message, [])) return (error, DlpScanResult.Clean);
        var (text, hits) = DlpScanner.ScanText(error.Message, "$.error.message", action == DlpAction.Redact);
        var result = new DlpScanResult(hits);
        return action switch
        {
            DlpAction.Block => throw new DlpBlockedException("the upstream error", result),
            DlpAction.Redact => (new McpProtocolException(text, error.ErrorCode), result),
            _ => (error, result),
        };
    }

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
        // A bare scalar cannot be redacted in place: it is blocked instead.
        if (action == DlpAction.Block || (action == DlpAction.Redact && node is System.Text.Json.Nodes.JsonValue))
            throw new DlpBlockedException(what, result);
        if (action == DlpAction.Redact) value = node.Deserialize<T>(McpJsonUtilities.DefaultOptions)!;
        return (value, result);
    }
}
