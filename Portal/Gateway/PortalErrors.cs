using ModelContextProtocol;
using ShadowMcp.Portal.Dlp;
using ShadowMcp.Portal.Pipeline;

namespace ShadowMcp.Portal.Gateway;

/// <summary>JSON-RPC errors the portal returns. Codes in the implementation-defined server range.</summary>
internal static class PortalErrors
{
    public const int PolicyDenied = PortalRefusal.PolicyDeniedCode;
    public const int DlpBlocked = DlpBlockedException.Code;
    public const int UpstreamUnavailable = PortalRefusal.UpstreamUnavailableCode;
    public const int Busy = PortalRefusal.BusyCode;
    public const int RateLimited = PortalRefusal.RateLimitedCode;

    public static PortalRefusal UnknownTool(string name) =>
        new($"Unknown tool: '{name}'", (int)McpErrorCode.InvalidParams, CallOutcome.UnknownTarget, "unknown tool");
    public static PortalRefusal Denied(string what, string reason) =>
        new($"Denied by portal policy: {what}: {reason}", PolicyDenied, CallOutcome.Denied, reason);
    public static PortalRefusal Dlp(string direction, string detectors) =>
        new($"Blocked by portal DLP: {direction} matched detector(s) {detectors}", DlpBlocked, CallOutcome.DlpBlocked);
    public static PortalRefusal Unavailable(string message) =>
        new(message, UpstreamUnavailable, CallOutcome.UpstreamUnavailable);
    public static PortalRefusal TooBusy() => new("Portal busy: too many concurrent calls", Busy, CallOutcome.Busy, "busy");
}
