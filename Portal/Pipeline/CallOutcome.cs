namespace ShadowMcp.Portal.Pipeline;

/// <summary>How one request through the pipeline ended. Mapped to audit strings only in <see cref="CallOutcomes"/>.</summary>
internal enum CallOutcome
{
    Ok,
    ToolError,
    Denied,
    DlpBlocked,
    Busy,
    RateLimited,
    UpstreamUnavailable,
    UpstreamError,
    UnknownTarget,
    Malformed,
    Cancelled,
    Error,
    /// <summary>Refused before it ran: the audit store could not be written (default deny).</summary>
    AuditUnavailable,

    // Code mode's own refusals of a script's tool call or of the script itself.
    Unauthenticated,
    CodeTooLarge,
    CallLimit,
    ArgumentsTooLarge,
    BadArguments,

    // A question relayed to the caller mid-call (elicitation) ends with the caller's answer.
    Accepted,
    Declined,
    Dismissed,

    // Caller sessions (portal.maxSessionsPerUser, portal.maxSessions): an initialize refused, or one that closed
    // the same user's least recently used idle session to make room.
    SessionLimit,
    SessionEvicted,
}
