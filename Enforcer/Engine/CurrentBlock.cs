using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Engine;

/// <summary>
/// One rule a backend holds now: which action of the log put it there (null when the backend holds a rule no
/// action recorded), when, by whom, when its TTL lapses, and whether reading the backend confirmed it.
/// </summary>
public sealed record CurrentBlock(
    string Backend, BlockEntry Entry, long? ActionId, DateTime? Since, string? Actor, DateTime? ExpiresAt, BlockVerification Verification);
