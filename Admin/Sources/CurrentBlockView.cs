namespace ShadowMcp.Admin.Sources;

/// <summary>
/// One rule a backend holds now: the endpoint by name, the backend, the rule's action (drop, block, redirect),
/// the action that put it there and when, its TTL lapse (null when the policy sets none), and whether reading
/// the backend confirmed it ("held", "missing", "not in log", "unverified").
/// </summary>
public sealed record CurrentBlockView(
    string Endpoint, string Backend, string Rule, string? ActionId, DateTime? SinceUtc, DateTime? ExpiresUtc, string Verification);
