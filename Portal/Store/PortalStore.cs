using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ShadowMcp.Portal.Store;

/// <summary>Opens the shared store file and applies the portal's migrations.</summary>
internal sealed class PortalStore
{
    public PortalStore(string dbPath)
    {
        DbPath = Path.GetFullPath(dbPath);
        var dir = Path.GetDirectoryName(DbPath);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        Options = PortalDbContext.OptionsFor(DbPath);
        // Pooled contexts: a fresh context costs milliseconds on first use, a pooled one microseconds.
        _contexts = new PooledDbContextFactory<PortalDbContext>(Options);
        using var db = Open();
        ShadowMcp.Core.Store.StoreMigrator.Migrate(db, DbPath, "portal tables");
    }

    public string DbPath { get; }
    public DbContextOptions<PortalDbContext> Options { get; }

    private readonly PooledDbContextFactory<PortalDbContext> _contexts;

    public PortalDbContext Open() => _contexts.CreateDbContext();

    /// <summary>The shared default store (the detection tables live in the same file).</summary>
    public static string DefaultPath => ShadowMcp.Core.Store.StorePaths.Default;
}
