namespace ShadowMcp.Reports.Sources;

/// <summary>Enforcer state per endpoint key, as of the end of the period. Returns null when there is no enforcer.</summary>
public interface IEnforcementStateSource
{
    ValueTask<IReadOnlyDictionary<string, EnforcementState>?> GetStatesAsync(IReadOnlyCollection<string> endpointKeys, DateTime asOfUtc, CancellationToken cancellationToken);
}
