using Microsoft.EntityFrameworkCore;

namespace ShadowMcp.Core.Store;

/// <summary>
/// Brings one module's tables in the shared store file up to date. Every module (detection, portal, enforcer)
/// opens the same file the same way: apply its migrations, switch to WAL so readers (report, admin UI) work
/// beside a writer, and turn a broken or unreadable file into a <see cref="StoreException"/> that names it.
/// </summary>
public static class StoreMigrator
{
    public static void Migrate(DbContext db, string path, string tables)
    {
        try
        {
            db.Database.Migrate();
            db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            throw new StoreException($"{path}: cannot open the {tables}: {ex.Message}", ex);
        }
    }
}
