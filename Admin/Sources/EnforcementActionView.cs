namespace ShadowMcp.Admin.Sources;

/// <summary>An action the enforcer took. <paramref name="State"/> is "applied", "rolled-back" or "failed"; only applied ones can be rolled back.</summary>
public sealed record EnforcementActionView(string Id, string EndpointKey, string Mechanism, string State, DateTime AppliedUtc, string? Detail)
{
    public bool CanRollBack => string.Equals(State, "applied", StringComparison.OrdinalIgnoreCase);
}
