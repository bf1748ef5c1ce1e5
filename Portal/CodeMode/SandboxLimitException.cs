namespace ShadowMcp.Portal.CodeMode;

/// <summary>A limit the host loop enforces itself (as opposed to one Jint raises).</summary>
internal sealed class SandboxLimitException(SandboxFailure failure, string message) : Exception(message)
{
    public SandboxFailure Failure { get; } = failure;
}
