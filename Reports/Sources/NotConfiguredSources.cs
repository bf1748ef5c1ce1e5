namespace ShadowMcp.Reports.Sources;

/// <summary>The sources used when the host has no portal or enforcer: each answers "not configured" (null).</summary>
internal sealed class NotConfiguredSources : IPortalActivitySource, IEnforcementStateSource, IAuditChainSource
{
    public static readonly NotConfiguredSources Instance = new();

    public ValueTask<PortalActivity?> GetActivityAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken) => ValueTask.FromResult<PortalActivity?>(null);

    public ValueTask<IReadOnlyDictionary<string, EnforcementState>?> GetStatesAsync(IReadOnlyCollection<string> endpointKeys, DateTime asOfUtc, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, EnforcementState>?>(null);

    public ValueTask<AuditChainStatus?> VerifyAsync(CancellationToken cancellationToken) => ValueTask.FromResult<AuditChainStatus?>(null);
}
