using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using ShadowMcp.Core.Store;
using ShadowMcp.Portal.Store.Postgres;

namespace ShadowMcp.Portal.Store;

/// <summary>
/// Opens the shared store (a SQLite file, or a PostgreSQL database that several portal replicas share) and applies
/// the portal's migrations for its engine.
/// </summary>
internal sealed class PortalStore
{
    /// <param name="target">A SQLite file path, or a `postgres://...` URL / Npgsql `Host=...` string.</param>
    public PortalStore(string target)
    {
        var parsed = StoreTarget.Parse(target);
        if (parsed.Provider == StoreProvider.Postgres)
        {
            Target = parsed;
            // The key files cannot sit beside a server: by default they are in this machine's ShadowMcp folder.
            KeyDirectory = StorePaths.DataDirectory;
            var pg = new PooledDbContextFactory<PostgresPortalDbContext>(PostgresPortalDbContext.PostgresOptionsFor(parsed.Location));
            _open = pg.CreateDbContext;
        }
        else
        {
            var path = Path.GetFullPath(target);
            Target = StoreTarget.Parse(path);
            KeyDirectory = Path.GetDirectoryName(path) ?? ".";
            Directory.CreateDirectory(KeyDirectory);
            // Pooled contexts: a fresh context costs milliseconds on first use, a pooled one microseconds.
            var sqlite = new PooledDbContextFactory<PortalDbContext>(PortalDbContext.OptionsFor(path));
            _open = sqlite.CreateDbContext;
        }
        using var db = Open();
        StoreMigrator.Migrate(db, Display, "portal tables");
    }

    private readonly Func<PortalDbContext> _open;

    public StoreTarget Target { get; }

    public bool IsPostgres => Target.Provider == StoreProvider.Postgres;

    /// <summary>The store as people may see it: the file path, or the server URL with its password masked.</summary>
    public string Display => Target.Display;

    /// <summary>Where the audit key files are by default: beside a SQLite file, or this machine's ShadowMcp folder.</summary>
    public string KeyDirectory { get; }

    public PortalDbContext Open() => _open();

    /// <summary>The shared default store (the detection tables live in the same file).</summary>
    public static string DefaultPath => StorePaths.Default;
}
