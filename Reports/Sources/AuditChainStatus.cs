namespace ShadowMcp.Reports.Sources;

/// <summary>Result of verifying the portal's hash-chained audit log.</summary>
public sealed record AuditChainStatus(bool Intact, long Entries, string Detail);
