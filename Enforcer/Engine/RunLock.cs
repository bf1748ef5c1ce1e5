using Npgsql;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Store.Postgres;
using ShadowMcp.Enforcer.Backends;

namespace ShadowMcp.Enforcer.Engine;

/// <summary>
/// One enforce run per store at a time. A SQLite store: an exclusive lock file beside it; the kernel drops the lock
/// when the process dies, even by SIGKILL, so a killed run never blocks the next one. A PostgreSQL store, which
/// runs on several machines share: a session advisory lock on a connection held for the run; the server drops it
/// when that connection ends, however the process died.
/// </summary>
internal static class RunLock
{
    // "SMCPENFR" in ASCII: neither the detection writers' key nor the migration key.
    private const long Key = 0x534D_4350_454E_4652;

    public static IDisposable Take(string target) => Take(StoreTarget.Parse(target));

    public static IDisposable Take(StoreTarget target) =>
        target.Provider == StoreProvider.Postgres ? TakeOnServer(target) : TakeFile(target.Location);

    private static FileStream TakeFile(string dbPath)
    {
        var path = Path.GetFullPath(dbPath) + ".enforce.lock";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new BackendException($"another `enforce` run holds {path}; try again when it ends");
        }
    }

    private static ServerLock TakeOnServer(StoreTarget target)
    {
        var connection = new NpgsqlConnection(target.Location);
        try
        {
            connection.Open();
            using var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({Key})", connection);
            if (take.ExecuteScalar() is true) return new ServerLock(connection);
        }
        catch (Exception ex) when (PostgresErrors.Find(ex) is { } pg)
        {
            connection.Dispose();
            var why = PostgresErrors.Describe(pg, target.Server);
            throw new StoreException($"{target.Display}: cannot take the enforce run lock: {why}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        connection.Dispose();
        throw new BackendException(
            $"another `enforce` run holds the run lock on {target.Display}; try again when it ends");
    }

    /// <summary>
    /// Unlocks before the connection goes back to the pool: Npgsql resets a pooled session only when it is next
    /// used, so a lock left on it would stay held for other processes while the connection idles.
    /// </summary>
    private sealed class ServerLock(NpgsqlConnection connection) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({Key})", connection);
                release.ExecuteNonQuery();
            }
            catch (NpgsqlException)
            {
                // The connection is gone; the server dropped the lock with it.
            }
            finally
            {
                connection.Dispose();
            }
        }
    }
}
