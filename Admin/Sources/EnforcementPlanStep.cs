namespace ShadowMcp.Admin.Sources;

/// <summary>
/// One step of a plan: what rule (<paramref name="EndpointKey"/>), on what backend or mechanism (e.g. "nft drop
/// 10.0.0.5:8123"), and why. <paramref name="Endpoints"/> names the finding endpoints the rule stands for (null when
/// the source cannot tell); <paramref name="Unblocks"/> is true when the step lifts a rule.
/// </summary>
public sealed record EnforcementPlanStep(
    string EndpointKey, string Mechanism, string Reason, IReadOnlyList<string>? Endpoints = null, bool Unblocks = false);
