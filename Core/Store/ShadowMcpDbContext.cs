using Microsoft.EntityFrameworkCore;

namespace ShadowMcp.Core.Store;

/// <summary>
/// The detection tables: scanned files and findings. The portal keeps its own tables in the same file. This type is
/// the SQLite store (its migrations are in Migrations/); <see cref="Postgres.PostgresShadowMcpDbContext"/> is the
/// same model on PostgreSQL with its own migrations, because EF migrations are provider-specific.
/// </summary>
public class ShadowMcpDbContext : DbContext
{
    public ShadowMcpDbContext(DbContextOptions<ShadowMcpDbContext> options) : base(options) { }

    /// <summary>For a provider's subclass, whose options are typed by that subclass.</summary>
    protected ShadowMcpDbContext(DbContextOptions options) : base(options) { }

    public DbSet<ScannedFileRow> ScannedFiles => Set<ScannedFileRow>();
    public DbSet<CaptureLossRow> CaptureLosses => Set<CaptureLossRow>();
    public DbSet<FindingRow> Findings => Set<FindingRow>();
    public DbSet<EvidenceRow> Evidence => Set<EvidenceRow>();
    public DbSet<FindingSourceRow> FindingSources => Set<FindingSourceRow>();
    public DbSet<FindingActivityRow> FindingActivity => Set<FindingActivityRow>();
    public DbSet<FindingTriageRow> FindingTriage => Set<FindingTriageRow>();
    public DbSet<FindingTriageEventRow> FindingTriageHistory => Set<FindingTriageEventRow>();
    public DbSet<HostScanRow> HostScans => Set<HostScanRow>();
    public DbSet<HostServerRow> HostServers => Set<HostServerRow>();
    public DbSet<HostSecretRow> HostSecrets => Set<HostSecretRow>();
    public DbSet<HostIngestAuditRow> HostIngestAudit => Set<HostIngestAuditRow>();

    /// <summary>A context on <paramref name="target"/>: a SQLite file path or a PostgreSQL URL (see <see cref="StoreTarget"/>).</summary>
    public static ShadowMcpDbContext Open(string target) => Open(StoreTarget.Parse(target));

    public static ShadowMcpDbContext Open(StoreTarget target)
    {
        if (target.Provider == StoreProvider.Postgres) return Postgres.PostgresShadowMcpDbContext.Create(target.Location);
        var options = new DbContextOptionsBuilder<ShadowMcpDbContext>()
            .UseSqlite(StorePaths.ConnectionString(target.Location))
            .Options;
        return new ShadowMcpDbContext(options);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var b = modelBuilder;
        b.Entity<ScannedFileRow>(e =>
        {
            e.ToTable("scanned_files");
            e.HasIndex(x => x.Sha256).IsUnique();
            // The admin UI's latest captures and the weekly report's window read scanned files by time.
            e.HasIndex(x => x.ScannedAt);
        });
        b.Entity<CaptureLossRow>(e =>
        {
            e.ToTable("capture_losses");
            e.HasIndex(x => x.At);
            e.HasIndex(x => x.ScannedFileId);
            e.HasOne<ScannedFileRow>().WithMany().HasForeignKey(x => x.ScannedFileId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<FindingRow>(e =>
        {
            e.ToTable("findings");
            e.HasIndex(x => x.EndpointKey).IsUnique();
            e.HasIndex(x => x.LastSeen);
            e.HasIndex(x => x.Verdict);
            e.HasMany(x => x.Evidence).WithOne().HasForeignKey(x => x.FindingId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Sources).WithOne().HasForeignKey(x => x.FindingId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<EvidenceRow>(e =>
        {
            e.ToTable("evidence");
            e.HasIndex(x => new { x.FindingId, x.Rule, x.Detail }).IsUnique();
        });
        b.Entity<FindingSourceRow>(e =>
        {
            e.ToTable("finding_sources");
            e.HasIndex(x => new { x.FindingId, x.ScannedFileId }).IsUnique();
            e.HasOne<ScannedFileRow>().WithMany().HasForeignKey(x => x.ScannedFileId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<FindingActivityRow>(e =>
        {
            e.ToTable("finding_activity");
            // Covering: report windows read (FindingId, Flows) over an Hour range without touching the table.
            e.HasIndex(x => new { x.Hour, x.FindingId, x.Flows });
            e.HasIndex(x => new { x.FindingId, x.Hour });
            e.HasIndex(x => x.ScannedFileId);
            e.HasOne<FindingRow>().WithMany().HasForeignKey(x => x.FindingId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<ScannedFileRow>().WithMany().HasForeignKey(x => x.ScannedFileId).OnDelete(DeleteBehavior.Cascade);
        });
        OnHostModelCreating(b);
        OnTriageModelCreating(b);
    }

    /// <summary>
    /// Triage decisions, keyed by endpoint key and not tied to the finding row by a foreign key: a scan may remove a
    /// finding and add it again, and its decision and history must survive that.
    /// </summary>
    private static void OnTriageModelCreating(ModelBuilder b)
    {
        b.Entity<FindingTriageRow>(e =>
        {
            e.ToTable("finding_triage");
            e.HasIndex(x => x.EndpointKey).IsUnique();
            e.HasIndex(x => x.Status);
        });
        b.Entity<FindingTriageEventRow>(e =>
        {
            e.ToTable("finding_triage_history");
            e.HasIndex(x => new { x.EndpointKey, x.At });
        });
    }

    /// <summary>Host inventories (`shadowmcp host scan --report-to`), kept per scan so reports can compare weeks.</summary>
    private static void OnHostModelCreating(ModelBuilder b)
    {
        b.Entity<HostScanRow>(e =>
        {
            e.ToTable("host_scans");
            e.HasIndex(x => new { x.HostName, x.ScanId }).IsUnique();
            e.HasIndex(x => x.ScannedAt);
            e.HasMany(x => x.Servers).WithOne().HasForeignKey(x => x.HostScanId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Secrets).WithOne().HasForeignKey(x => x.HostScanId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<HostServerRow>(e =>
        {
            e.ToTable("host_servers");
            e.HasIndex(x => x.HostScanId);
        });
        b.Entity<HostSecretRow>(e =>
        {
            e.ToTable("host_secrets");
            e.HasIndex(x => x.HostScanId);
        });
        b.Entity<HostIngestAuditRow>(e =>
        {
            e.ToTable("host_ingest_audit");
            e.HasIndex(x => x.At);
        });
    }
}
