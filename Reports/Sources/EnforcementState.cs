namespace ShadowMcp.Reports.Sources;

/// <summary>An endpoint's enforcement state: "blocked", "pending", "not blockable by the configured backends", "not blocked"; detail such as the backends.</summary>
public sealed record EnforcementState(string State, string? Detail)
{
    public bool IsBlocked => string.Equals(State, "blocked", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Detail is null ? State : $"{State} ({Detail})";
}
