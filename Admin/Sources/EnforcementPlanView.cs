namespace ShadowMcp.Admin.Sources;

/// <summary>A block plan not yet applied: one step per endpoint, in the words the enforcer would log.</summary>
public sealed record EnforcementPlanView(string Id, DateTime CreatedUtc, IReadOnlyList<EnforcementPlanStep> Steps);
