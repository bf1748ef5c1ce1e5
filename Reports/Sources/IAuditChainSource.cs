namespace ShadowMcp.Reports.Sources;

/// <summary>Verifies the audit chain. Returns null when there is no audit log.</summary>
public interface IAuditChainSource
{
    ValueTask<AuditChainStatus?> VerifyAsync(CancellationToken cancellationToken);
}
