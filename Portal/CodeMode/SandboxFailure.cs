namespace ShadowMcp.Portal.CodeMode;

/// <summary>
/// Why a run did not produce a result; the audit outcome is "codemode-" + the lower-case name
/// (<see cref="SandboxOutcome.AuditName"/>).
/// </summary>
internal enum SandboxFailure
{
    None,
    ScriptError,
    Timeout,
    Cancelled,
    MemoryLimit,
    StatementLimit,
    RecursionLimit,
    OutputLimit,
    NeverSettled,
    Internal,
    RegexTimeout,
    ToolCallLimit,
    SearchCallLimit,
    Revoked,
    Killed,
    Unavailable,
}
