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
            MigrationLock.Migrate(db);
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
}
