namespace ShadowMcp.Portal.Audit;

/// <summary>
/// The audit store cannot be written now (down, refusing writes): the portal turns calls away rather than run them
/// without their audit rows (default deny). Rows already accepted are kept and retried in order.
/// </summary>
internal sealed class AuditUnavailableException(string message) : Exception(message)
{
    public const string DefaultMessage =
        "The portal's audit log cannot be written now; calls are refused until its store is writable again";

    public AuditUnavailableException() : this(DefaultMessage) { }
}
