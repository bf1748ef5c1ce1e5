namespace ShadowMcp.Admin.Sources;

/// <summary>One audit entry as the portal recorded it; <paramref name="Hash"/> is its link in the chain.</summary>
public sealed record AuditEntryView(
    long Sequence, DateTime TimeUtc, string Actor, string Action, string Target, string Outcome, string? Detail, string Hash);
