namespace ShadowMcp.Portal.Pipeline;

/// <summary>The one place an outcome becomes the audit row's outcome string (the schema is unchanged).</summary>
internal static class CallOutcomes
{
    public static string AuditName(CallOutcome outcome) => outcome switch
    {
        CallOutcome.Ok => "ok",
        CallOutcome.ToolError => "tool-error",
        CallOutcome.Denied => "denied",
        CallOutcome.DlpBlocked => "dlp-blocked",
        CallOutcome.Busy => "busy",
        CallOutcome.RateLimited => "rate-limited",
        CallOutcome.UpstreamUnavailable => "upstream-unavailable",
        CallOutcome.UpstreamError => "upstream-error",
        CallOutcome.Malformed => "malformed",
        CallOutcome.Cancelled => "cancelled",
        CallOutcome.AuditUnavailable => "audit-unavailable",
        CallOutcome.Unauthenticated => "unauthenticated",
        CallOutcome.CodeTooLarge => "codemode-code-too-large",
        CallOutcome.CallLimit => "codemode-call-limit",
        CallOutcome.ArgumentsTooLarge => "codemode-arguments-too-large",
        CallOutcome.BadArguments => "codemode-bad-arguments",
        CallOutcome.Accepted => "accept",
        CallOutcome.Declined => "decline",
        CallOutcome.Dismissed => "cancel",
        CallOutcome.SessionLimit => "session-limit",
        CallOutcome.SessionEvicted => "session-evicted",
        _ => "error", // unknown tool/prompt/resource and anything unexpected, as before
    };
}
