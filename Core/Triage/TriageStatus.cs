namespace ShadowMcp.Core.Triage;

/// <summary>Where a finding stands with the security team. A finding nobody has looked at yet is <see cref="New"/>.</summary>
public enum TriageStatus
{
    New,
    UnderReview,
    /// <summary>Approved: the finding counts as sanctioned from now on, in the store, the reports and the enforcer.</summary>
    Approved,
    /// <summary>To be blocked: the enforcer's plan includes it even when the policy's selection would not.</summary>
    Blocked,
    /// <summary>Not a real shadow server: an exception the enforcer never blocks and "needs action" never lists.</summary>
    FalsePositive,
}
