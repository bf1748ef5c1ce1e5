namespace ShadowMcp.Enforcer.Engine;

/// <summary>The command names written to the action log.</summary>
public static class Commands
{
    public const string Apply = "apply";
    public const string Rollback = "rollback";
    public const string Expire = "expire";
    /// <summary>The pseudo-backend name of TTL bookkeeping rows.</summary>
    public const string TtlBackend = "ttl";
}
