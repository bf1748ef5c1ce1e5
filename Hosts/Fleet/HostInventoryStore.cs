using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Store;
using ShadowMcp.Hosts.Output;

namespace ShadowMcp.Hosts.Fleet;

/// <summary>
/// Keeps host inventories over time in the detection store: one row set per (host, scan id). Saving the same scan
/// twice keeps the first; nothing a host sends can carry a secret's value, because there is no column for one.
/// </summary>
public sealed class HostInventoryStore(string path)
{
    private readonly Lock _migrateLock = new();
    private bool _migrated;

    public ShadowMcpDbContext Open()
    {
        var db = ShadowMcpDbContext.Open(path);
        lock (_migrateLock)
        {
            if (!_migrated)
            {
                try { StoreMigrator.Migrate(db, path, "store"); }
                catch { db.Dispose(); throw; }
                _migrated = true;
            }
        }
        return db;
    }

    /// <summary>True when stored, false when this (host, scan id) was already there.</summary>
    public bool Save(HostReportDocument report, DateTime receivedAt)
    {
        using var db = Open();
        if (db.HostScans.Any(s => s.HostName == report.HostName && s.ScanId == report.ScanId)) return false;
        var scan = new HostScanRow
        {
            HostName = report.HostName,
            ScanId = report.ScanId,
            ScannedAt = DateTime.SpecifyKind(report.ScannedAt, DateTimeKind.Utc),
            ReceivedAt = receivedAt,
            Os = report.Os,
            FilesRead = report.FilesRead,
            Problems = report.Errors.Length,
            Servers = [.. report.Servers.Select(s => new HostServerRow
            {
                Agent = s.Agent, Scope = s.Scope, ConfigPath = s.ConfigPath, Name = s.Name, Transport = s.Transport,
                Launcher = s.Launcher, Ecosystem = s.Ecosystem, Package = s.Package, Version = s.Version, Url = s.Url,
                Enabled = s.Enabled, Verdict = s.Verdict, VerdictReason = s.VerdictReason, Endpoint = s.Endpoint, Origin = s.Origin,
            })],
            Secrets = [.. report.Secrets.Select(s => new HostSecretRow
            {
                Agent = s.Agent, ConfigPath = s.ConfigPath, Server = s.Server, Location = s.Location, Kind = s.Kind,
            })],
        };
        db.HostScans.Add(scan);
        try
        {
            db.SaveChanges();
            return true;
        }
        catch (DbUpdateException)
        {
            // The same scan posted twice at once: the unique (host, scan id) index kept one.
            return false;
        }
    }

    public void Audit(HostIngestAuditRow row)
    {
        using var db = Open();
        db.HostIngestAudit.Add(row);
        db.SaveChanges();
    }
}
