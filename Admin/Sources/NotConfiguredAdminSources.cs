using ShadowMcp.Reports.Sources;

namespace ShadowMcp.Admin.Sources;

/// <summary>Used when the host registered no portal or enforcer: reads answer null, commands fail with a clear message.</summary>
internal sealed class NotConfiguredAdminSources : IPortalAdminSource, IEnforcementAdminSource
{
    public static readonly NotConfiguredAdminSources Instance = new();

    private const string NoEnforcer = "Enforcement is not configured on this host.";

    public ValueTask<PortalOverview?> GetOverviewAsync(CancellationToken cancellationToken) => ValueTask.FromResult<PortalOverview?>(null);

    public ValueTask<AuditLogPage?> GetAuditAsync(int skip, int take, CancellationToken cancellationToken) => ValueTask.FromResult<AuditLogPage?>(null);

    public ValueTask<AuditChainStatus?> VerifyAuditAsync(CancellationToken cancellationToken) => ValueTask.FromResult<AuditChainStatus?>(null);

    public ValueTask<EnforcementOverview?> GetStateAsync(CancellationToken cancellationToken) => ValueTask.FromResult<EnforcementOverview?>(null);

    public ValueTask<EnforcementCommandResult> PlanAsync(CancellationToken cancellationToken) => ValueTask.FromResult(EnforcementCommandResult.Failed(NoEnforcer));

    public ValueTask<EnforcementCommandResult> ApplyAsync(string planId, string actor, CancellationToken cancellationToken) => ValueTask.FromResult(EnforcementCommandResult.Failed(NoEnforcer));

    public ValueTask<EnforcementCommandResult> RollbackAsync(string actionId, string actor, CancellationToken cancellationToken) => ValueTask.FromResult(EnforcementCommandResult.Failed(NoEnforcer));
}
