namespace ShadowMcp.Reports.Sources;

/// <summary>An endpoint's enforcement state: "blocked", "planned", "rolled-back", "none"; detail such as the plan id.</summary>
public sealed record EnforcementState(string State, string? Detail)
{
    public bool IsBlocked => string.Equals(State, "blocked", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Detail is null ? State : $"{State} ({Detail})";
}
