using Microsoft.EntityFrameworkCore;

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
        using var db = Open();
        db.Database.Migrate();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }

    public string DbPath { get; }
    public DbContextOptions<PortalDbContext> Options { get; }

    public PortalDbContext Open() => new(Options);

    /// <summary>The default store: the lead's StorePaths.Default will replace this.</summary>
    public static string DefaultPath => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "shadowmcp", "shadowmcp.db");
}
