using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ShadowMcp.Core.Store.Postgres;

/// <summary>
/// Migrates a shared PostgreSQL store one process at a time. Two scanners or sensors that open a new store at once
/// would otherwise both create the same tables, and the second fails ("relation ... already exists"). A session
/// advisory lock, held on the connection the migration runs on, serializes them; the second then finds nothing to
/// do. A database that does not exist yet is left to the migration to create, without the lock.
/// </summary>
public static class MigrationLock
{
    // "SMCPMIGR" in ASCII: not the writers' key, so migrating never waits for a save or the other way round.
    private const long Key = 0x534D_4350_4D49_4752;

    /// <summary>
    /// Runs <paramref name="action"/> on <paramref name="connection"/> (opened here if it is closed) while holding the
    /// same lock, so schema steps outside EF Core (Reports' scheduler tables) never race a migration or each other.
    /// </summary>
    public static void Run(NpgsqlConnection connection, Action<NpgsqlConnection> action)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(action);
        if (connection.State != System.Data.ConnectionState.Open) connection.Open();
        using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({Key})", connection)) take.ExecuteNonQuery();
        try
        {
            action(connection);
        }
        finally
        {
            using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({Key})", connection);
            release.ExecuteNonQuery();
        }
    }

    public static void Migrate(DbContext db)
    {
        if (!db.Database.IsNpgsql())
        {
            db.Database.Migrate();
            return;
        }
        try
        {
            db.Database.OpenConnection();
        }
        catch (Exception ex) when (PostgresErrors.Find(ex) is PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName })
        {
            db.Database.Migrate();
            return;
        }
        try
        {
            db.Database.ExecuteSqlRaw($"SELECT pg_advisory_lock({Key})");
            try { db.Database.Migrate(); }
            finally { db.Database.ExecuteSqlRaw($"SELECT pg_advisory_unlock({Key})"); }
        }
        finally
        {
            db.Database.CloseConnection();
        }
    }
}
