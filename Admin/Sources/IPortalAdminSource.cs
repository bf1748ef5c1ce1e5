using ShadowMcp.Reports.Sources;

namespace ShadowMcp.Admin.Sources;

/// <summary>
/// What the admin UI shows about the governed portal. The host plugs in the portal's implementation; without one the
/// pages say the portal is not configured. Each method returns null when there is no portal to ask.
/// </summary>
public interface IPortalAdminSource
{
    /// <summary>Registered upstream servers, their tools and the policies in force.</summary>
    ValueTask<PortalOverview?> GetOverviewAsync(CancellationToken cancellationToken);

    /// <summary>Audit entries, newest first: <paramref name="skip"/> entries are passed over, at most <paramref name="take"/> returned.</summary>
    ValueTask<AuditLogPage?> GetAuditAsync(int skip, int take, CancellationToken cancellationToken);

    /// <summary>Walks the hash chain of the audit log.</summary>
    ValueTask<AuditChainStatus?> VerifyAuditAsync(CancellationToken cancellationToken);
}
