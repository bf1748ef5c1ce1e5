namespace ShadowMcp.Portal.Audit;

/// <summary>
/// One audit batch at a time across every portal replica on a shared PostgreSQL store. Each batch reads the chain's
/// head, links its rows to it and moves the head; two replicas doing that at once under READ COMMITTED would both
/// link to the same head (a fork) and collide on Seq. A transaction-scoped advisory lock makes the batches take
/// turns, so the log stays one chain in commit order; commit, rollback or a dead connection releases it. SQLite
/// needs none: its write lock already admits one writer per file.
/// </summary>
internal static class AuditWriterLock
{
    // "SMCPAUDT" in ASCII: neither the detection writers' key nor the migration key.
    public const long Key = 0x534D_4350_4155_4454;

    /// <summary>The statement a batch runs first, in its transaction (sent with the reads of the chain's end).</summary>
    public static readonly string TakeSql = $"SELECT pg_advisory_xact_lock({Key})";
}
