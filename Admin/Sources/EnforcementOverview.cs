namespace ShadowMcp.Admin.Sources;

/// <summary>
/// The enforcer's state: its mode (e.g. "nftables", "dry-run"), the pending plan if any, the actions it has taken,
/// what is blocked now (<paramref name="Blocked"/>; null when the source cannot tell), and the selected endpoints
/// the configured backends cannot block (<paramref name="NotBlockable"/>; null when the source cannot tell).
/// </summary>
public sealed record EnforcementOverview(
    string Mode, EnforcementPlanView? PendingPlan, IReadOnlyList<EnforcementActionView> Actions, IReadOnlyList<CurrentBlockView>? Blocked = null,
    IReadOnlyList<UnblockableEndpointView>? NotBlockable = null);
