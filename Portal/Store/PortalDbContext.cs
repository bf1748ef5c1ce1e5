using Microsoft.EntityFrameworkCore;

namespace ShadowMcp.Portal.Store;

/// <summary>
/// The portal's tables in the shared store. Core's context owns the detection tables in the same file or database;
/// a separate migrations history table keeps the two apart. This class is the SQLite store (its migrations are in
/// Migrations/); <see cref="Postgres.PostgresPortalDbContext"/> is the same model on PostgreSQL.
/// </summary>
internal class PortalDbContext : DbContext
{
    public const string MigrationsHistoryTable = "__PortalMigrationsHistory";

    public PortalDbContext(DbContextOptions<PortalDbContext> options) : base(options) { }

    /// <summary>For the PostgreSQL subclass, whose options are typed by it.</summary>
    protected PortalDbContext(DbContextOptions options) : base(options) { }

    public DbSet<ApiTokenRow> ApiTokens => Set<ApiTokenRow>();
    public DbSet<AuditRow> Audit => Set<AuditRow>();
    public DbSet<AuditHeadRow> AuditHead => Set<AuditHeadRow>();
    public DbSet<ToolPinRow> ToolPins => Set<ToolPinRow>();
    public DbSet<ToolObservationRow> ToolObservations => Set<ToolObservationRow>();
    public DbSet<PinDriftRow> PinDrifts => Set<PinDriftRow>();
    public DbSet<UpstreamStateRow> UpstreamStates => Set<UpstreamStateRow>();

    public static DbContextOptions<PortalDbContext> OptionsFor(string dbPath) =>
        new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite($"Data Source={dbPath}", x => x.MigrationsHistoryTable(MigrationsHistoryTable))
            .AddInterceptors(SqlitePragmaInterceptor.Instance)
            .Options;

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<ApiTokenRow>(e =>
        {
            e.ToTable("portal_api_tokens");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.SecretHash).IsUnique();
        });
        b.Entity<AuditRow>(e =>
        {
            e.ToTable("portal_audit");
            e.HasKey(x => x.Seq);
            e.Property(x => x.Seq).ValueGeneratedNever();
        });
        b.Entity<AuditHeadRow>(e =>
        {
            e.ToTable("portal_audit_head");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
        });
        b.Entity<ToolPinRow>(e =>
        {
            e.ToTable("portal_tool_pins");
            e.HasKey(x => new { x.ServerId, x.ToolName });
        });
        b.Entity<ToolObservationRow>(e =>
        {
            e.ToTable("portal_tool_observations");
            e.HasKey(x => new { x.ServerId, x.ToolName });
        });
        b.Entity<PinDriftRow>(e =>
        {
            e.ToTable("portal_pin_drifts");
            e.HasKey(x => x.Id);
        });
        b.Entity<UpstreamStateRow>(e =>
        {
            e.ToTable("portal_upstream_state");
            e.HasKey(x => x.ServerId);
        });
        // SQLite cannot order DateTimeOffset; store them as sortable 64-bit numbers via the built-in converter. PostgreSQL
        // keeps the same encoding, so the audit writer's raw SQL and the row hashes are the same on both.
        foreach (var entity in b.Model.GetEntityTypes())
            foreach (var p in entity.GetProperties().Where(p => p.ClrType == typeof(DateTimeOffset) || p.ClrType == typeof(DateTimeOffset?)))
                p.SetValueConverter(typeof(Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter));
    }
}
