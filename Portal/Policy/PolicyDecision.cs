namespace ShadowMcp.Portal.Policy;

/// <summary>Whether a caller may use a tool, and why. The reason goes to the audit log and to the caller.</summary>
internal readonly record struct PolicyDecision(bool Allowed, string Reason)
{
    public static PolicyDecision Allow(string reason) => new(true, reason);
    public static PolicyDecision Deny(string reason) => new(false, reason);
}
