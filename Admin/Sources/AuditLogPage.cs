namespace ShadowMcp.Admin.Sources;

/// <summary>A slice of the audit log and the total number of entries.</summary>
public sealed record AuditLogPage(IReadOnlyList<AuditEntryView> Entries, long Total);
