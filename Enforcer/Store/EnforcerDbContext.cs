using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Enforcer.Store;

/// <summary>
/// The Enforcer's tables in the shared store. Its migrations have their own history table so they never collide
/// with the detection store's. This class is the SQLite store (its migrations are in Migrations/);
/// <see cref="Postgres.PostgresEnforcerDbContext"/> is the same model on PostgreSQL, with migrations of its own.
/// </summary>
public class EnforcerDbContext : DbContext
{
    public const string HistoryTable = "__EnforcerMigrationsHistory";

    public EnforcerDbContext(DbContextOptions<EnforcerDbContext> options) : base(options) { }

    /// <summary>For the PostgreSQL subclass, whose options are typed by it.</summary>
    protected EnforcerDbContext(DbContextOptions options) : base(options) { }

    public DbSet<ActionRow> Actions => Set<ActionRow>();
    public DbSet<BackendStateRow> BackendStates => Set<BackendStateRow>();
    public DbSet<TtlEntryRow> TtlEntries => Set<TtlEntryRow>();
    public DbSet<DeadLetterRow> DeadLetters => Set<DeadLetterRow>();

    public static DbContextOptions<EnforcerDbContext> OptionsFor(string connectionString) =>
        new DbContextOptionsBuilder<EnforcerDbContext>()
            .UseSqlite(connectionString, o => o.MigrationsHistoryTable(HistoryTable))
            .Options;

    /// <summary>A context on <paramref name="target"/>: a SQLite file or a PostgreSQL database.</summary>
    public static EnforcerDbContext Open(StoreTarget target) =>
        target.Provider == StoreProvider.Postgres
            ? Postgres.PostgresEnforcerDbContext.Create(target.Location)
            : new EnforcerDbContext(OptionsFor(StorePaths.ConnectionString(target.Location)));

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
