using Microsoft.EntityFrameworkCore;

namespace ShadowMcp.Portal.Store;

/// <summary>
/// The portal's tables in the shared SQLite store. Core's context owns the detection tables in the same file;
/// a separate migrations history table keeps the two apart.
/// </summary>
internal sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options)
{
    public const string MigrationsHistoryTable = "__PortalMigrationsHistory";

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
        // SQLite cannot order DateTimeOffset; store them as UTC ticks-sortable strings via the built-in converter.
        foreach (var entity in b.Model.GetEntityTypes())
            foreach (var p in entity.GetProperties().Where(p => p.ClrType == typeof(DateTimeOffset) || p.ClrType == typeof(DateTimeOffset?)))
                p.SetValueConverter(typeof(Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter));
    }
}
