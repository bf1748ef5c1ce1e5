namespace ShadowMcp.Enforcer.Store;

/// <summary>When a block entry was first put in place, when it lapses, and when the sweep lifted it.</summary>
public sealed class TtlEntryRow
{
    public required string EntryKey { get; set; }
    public DateTime BlockedAt { get; set; }
    /// <summary>Null when the policy sets no TTL.</summary>
    public DateTime? ExpiresAt { get; set; }
    public DateTime? ExpiredAt { get; set; }
}
