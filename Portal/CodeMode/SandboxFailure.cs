namespace ShadowMcp.Portal.CodeMode;

/// <summary>Why a run ended without a result; recorded as the audit outcome.</summary>
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
}
