using ModelContextProtocol;

namespace ShadowMcp.Portal.Gateway;

/// <summary>JSON-RPC errors the portal returns. Codes in the implementation-defined server range.</summary>
internal static class PortalErrors
{
    public const int PolicyDenied = -32003;
    public const int DlpBlocked = -32004;
    public const int UpstreamUnavailable = -32005;
    public const int Busy = -32006;

    public static McpProtocolException UnknownTool(string name) => new($"Unknown tool: '{name}'", McpErrorCode.InvalidParams);
    public static McpProtocolException Denied(string what, string reason) => new($"Denied by portal policy: {what}: {reason}", (McpErrorCode)PolicyDenied);
    public static McpProtocolException Dlp(string direction, string detectors) =>
        new($"Blocked by portal DLP: {direction} matched detector(s) {detectors}", (McpErrorCode)DlpBlocked);
    public static McpProtocolException Unavailable(string message) => new(message, (McpErrorCode)UpstreamUnavailable);
    public static McpProtocolException TooBusy() => new("Portal busy: too many concurrent calls", (McpErrorCode)Busy);
}
