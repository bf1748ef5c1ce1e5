using Microsoft.EntityFrameworkCore;
using Npgsql;
using ShadowMcp.Core.Store.Postgres;

namespace ShadowMcp.Core.Store;

/// <summary>
/// Brings one module's tables in the shared store up to date. Every module (detection, portal, enforcer)
/// opens the same store the same way: apply its migrations, on SQLite switch to WAL so readers (report, admin UI)
/// work beside a writer, and turn a broken, unreadable or unreachable store into a <see cref="StoreException"/>
/// that names it (<paramref name="path"/> is the file, or a PostgreSQL target with its password masked).
/// </summary>
public static class StoreMigrator
{
    public static void Migrate(DbContext db, string path, string tables)
    {
        try
        {
            if (!UpToDate(db)) MigrationLock.Migrate(db);
            if (db.Database.IsSqlite()) db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        }
        catch (Exception ex) when (PostgresErrors.Find(ex) is { } pg)
        {
            throw new StoreException($"{path}: cannot open the {tables}: {PostgresErrors.Describe(pg, db)}", ex);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            throw new StoreException($"{path}: cannot open the {tables}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// True when the history table lists every migration this build knows. Then nothing is left to do, and the
    /// migrator's own run (a lock, the history table, and a diff of the whole model against the snapshot) is skipped:
    /// it was a fifth of a one-shot report's time. Any doubt (no history table yet, no database, a failed read)
    /// answers false, and <see cref="MigrationLock.Migrate"/> does the full run and reports what is wrong.
    /// </summary>
    private static bool UpToDate(DbContext db)
    {
        try
        {
            var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
            known.ExceptWith(db.Database.GetAppliedMigrations());
            return known.Count == 0;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return false;
        }
    }
}
