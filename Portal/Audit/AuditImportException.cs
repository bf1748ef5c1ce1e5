using ShadowMcp.Core;

namespace ShadowMcp.Portal.Audit;

/// <summary>`audit import` refused: nothing was imported and the file is where it was. The message is for the operator.</summary>
internal sealed class AuditImportException(ExitCode code, string message) : Exception(message)
{
    public ExitCode Code { get; } = code;
}
