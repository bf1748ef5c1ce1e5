using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Enforcer.Store;

/// <summary>
/// The Enforcer's tables in the shared store file. Its migrations have their own history table so they never
/// collide with the detection store's.
/// </summary>
public sealed class EnforcerDbContext(DbContextOptions<EnforcerDbContext> options) : DbContext(options)
{
    public const string HistoryTable = "__EnforcerMigrationsHistory";

    public DbSet<ActionRow> Actions => Set<ActionRow>();
    public DbSet<BackendStateRow> BackendStates => Set<BackendStateRow>();
    public DbSet<TtlEntryRow> TtlEntries => Set<TtlEntryRow>();
    public DbSet<DeadLetterRow> DeadLetters => Set<DeadLetterRow>();

    public static DbContextOptions<EnforcerDbContext> OptionsFor(string connectionString) =>
        new DbContextOptionsBuilder<EnforcerDbContext>()
            .UseSqlite(connectionString, o => o.MigrationsHistoryTable(HistoryTable))
            .Options;

    public static EnforcerDbContext Open(string path) => new(OptionsFor(StorePaths.ConnectionString(path)));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var b = modelBuilder;
        b.Entity<ActionRow>(e =>
        {
            e.ToTable("enforcer_actions");
            e.HasIndex(x => x.RunId);
            e.HasIndex(x => new { x.Backend, x.Id });
        });
        b.Entity<BackendStateRow>(e =>
        {
            e.ToTable("enforcer_backend_state");
            e.HasKey(x => x.Backend);
        });
        b.Entity<TtlEntryRow>(e =>
        {
            e.ToTable("enforcer_ttl");
            e.HasKey(x => x.EntryKey);
            e.HasIndex(x => x.ExpiresAt);
        });
        b.Entity<DeadLetterRow>(e => e.ToTable("enforcer_dead_letters"));
    }
}
