namespace ShadowMcp.Portal.CodeMode;

/// <summary>What a run produced: the result as JSON text, or a safe error message; console output either way.</summary>
internal sealed record SandboxOutcome(string? ResultJson, string? Error, SandboxFailure Failure, string Logs, bool LogsTruncated, int ToolCalls)
{
    public bool Succeeded => Error is null;

    /// <summary>The run's audit outcome: "ok", or "codemode-" and the failure's lower-case name.</summary>
    public string AuditName => Succeeded ? "ok" : "codemode-" + Failure.ToString().ToLowerInvariant();
}
