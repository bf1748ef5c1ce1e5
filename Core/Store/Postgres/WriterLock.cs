using Microsoft.EntityFrameworkCore;

namespace ShadowMcp.Core.Store.Postgres;

/// <summary>
/// One file result at a time on a shared PostgreSQL store. Saving a file result re-merges each touched finding from
/// all its files' contributions; two writers doing that at once under READ COMMITTED would each miss the other's
/// uncommitted contribution (a lost update), and both could insert the same new endpoint. A transaction-scoped
/// advisory lock serializes the writers across processes and is released by commit or rollback, even if the process
/// dies; it is the same one-writer rule SQLite applies to its file. Readers are not blocked.
/// </summary>
internal static class WriterLock
{
    // Any fixed 64-bit key: "SMCPSTOR" in ASCII, so it does not collide with other users of advisory locks by chance.
    private const long Key = 0x534D_4350_5354_4F52;

    public static void Take(ShadowMcpDbContext db)
    {
        if (!db.Database.IsNpgsql()) return;
        db.Database.ExecuteSqlRaw($"SELECT pg_advisory_xact_lock({Key})");
    }
}
