namespace ShadowMcp.Admin.Sources;

/// <summary>
/// An action the enforcer took. <paramref name="EndpointKey"/> names what it changed. <paramref name="State"/> is
/// "applied", "rolled-back" (a later rollback undid it), "rollback" (the row of a rollback itself) or "failed";
/// only applied ones can be rolled back.
/// </summary>
public sealed record EnforcementActionView(string Id, string EndpointKey, string Mechanism, string State, DateTime AppliedUtc, string? Detail)
{
    public bool CanRollBack => string.Equals(State, "applied", StringComparison.OrdinalIgnoreCase);
}
