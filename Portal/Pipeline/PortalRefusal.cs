using ModelContextProtocol;

namespace ShadowMcp.Portal.Pipeline;

/// <summary>
/// A step refused the request: the JSON-RPC error the caller gets, plus what the audit row records (outcome,
/// reason, DLP detectors). Thrown by steps, audited once by the pipeline.
/// </summary>
internal sealed class PortalRefusal(string message, int code, CallOutcome outcome, string? reason = null, string? dlpHits = null)
    : McpProtocolException(message, (McpErrorCode)code)
{
    public const int PolicyDeniedCode = -32003;
    public const int UpstreamUnavailableCode = -32005;
    public const int BusyCode = -32006;
    public const int RateLimitedCode = -32007;
    /// <summary>The audit store cannot be written: calls are refused rather than run unaudited.</summary>
    public const int AuditUnavailableCode = -32008;
    /// <summary>A new session over portal.maxSessionsPerUser (all of the user's busy) or portal.maxSessions.</summary>
    public const int SessionLimitCode = -32009;

    public CallOutcome Outcome { get; } = outcome;
    public string? Reason { get; } = reason;
    public string? DlpHits { get; } = dlpHits;
}
