using ShadowMcp.Portal.Store;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// Makes the chain row for a record: its time, replica and link to the row before, hashed as the verifier checks it.
/// The portal's writer and `audit import` both link rows here, so an imported row is hashed exactly like one the
/// portal committed.
/// </summary>
internal static class AuditLink
{
    /// <param name="time">The row's time, kept to whole milliseconds (the store keeps 0.1 ms; the hash covers what comes back).</param>
    /// <param name="key">HMAC key (keyed row), or null for an unkeyed SHA-256 row.</param>
    public static AuditRow Row(AuditRecord record, long seq, string prev, DateTimeOffset time, string? replica, byte[]? key)
    {
        var row = new AuditRow
        {
            Seq = seq,
            Time = WholeMilliseconds(time),
            User = record.User,
            Group = record.Group,
            ClientName = record.ClientName,
            ClientVersion = record.ClientVersion,
            Server = record.Server,
            Method = record.Method,
            Tool = record.Tool,
            ArgumentBytes = record.ArgumentBytes,
            ArgumentHash = record.ArgumentHash,
            Arguments = record.Arguments,
            DurationMs = Math.Round(record.DurationMs, 3),
            Outcome = record.Outcome,
            Decision = record.Decision,
            DlpHits = record.DlpHits,
            ExecutionId = record.ExecutionId,
            Replica = replica,
            PrevHash = prev,
            HashKind = key is null ? null : AuditHasher.Keyed,
        };
        row.Hash = key is null ? AuditHasher.Compute(row) : AuditHasher.Compute(row, key);
        return row;
    }

    public static DateTimeOffset WholeMilliseconds(DateTimeOffset t)
    {
        var ticks = t.UtcTicks;
        return new DateTimeOffset(ticks - ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }
}
