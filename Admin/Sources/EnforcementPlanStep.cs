namespace ShadowMcp.Admin.Sources;

/// <summary>One step of a plan: what endpoint, what mechanism (e.g. "nft drop 10.0.0.5:8123"), and why.</summary>
public sealed record EnforcementPlanStep(string EndpointKey, string Mechanism, string Reason);
