namespace ShadowMcp.Admin.Sources;

/// <summary>
/// The enforcer's state: its mode (e.g. "nftables", "dry-run"), the pending plan if any, and the actions it has taken.
/// </summary>
public sealed record EnforcementOverview(string Mode, EnforcementPlanView? PendingPlan, IReadOnlyList<EnforcementActionView> Actions);
