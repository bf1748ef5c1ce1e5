using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Inventory;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Core.Reading;

/// <summary>Reads the host inventories (`shadowmcp host scan --report-to`) as model types. The caller owns <paramref name="db"/>.</summary>
public sealed class HostScanReader(ShadowMcpDbContext db)
{
    /// <summary>
    /// Each host's latest scan among those taken in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>) (null: no
    /// bound), with its servers and secrets, by host name. The latest is chosen in the database (ties: the later
    /// stored); <paramref name="hostNames"/>, when given, keeps only those hosts before their servers are read.
    /// </summary>
    public async Task<IReadOnlyList<HostScan>> LatestPerHostAsync(
        DateTime? fromUtc, DateTime? toUtc, IReadOnlySet<string>? hostNames, CancellationToken cancellationToken)
    {
        var window = db.HostScans.AsNoTracking();
        if (fromUtc is { } from)
        {
            var t = StoreTime.Utc(from);
            window = window.Where(s => s.ScannedAt >= t);
        }
        if (toUtc is { } to)
        {
            var t = StoreTime.Utc(to);
            window = window.Where(s => s.ScannedAt < t);
        }
        var latest = await window
            .Where(s => !window.Any(o => o.HostName == s.HostName && (o.ScannedAt > s.ScannedAt || (o.ScannedAt == s.ScannedAt && o.Id > s.Id))))
            .Select(s => new { s.Id, s.HostName, s.ScanId, s.ScannedAt, s.Os, s.FilesRead, s.Problems })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (hostNames is not null) latest.RemoveAll(s => !hostNames.Contains(s.HostName));

        var servers = new List<HostServerRow>();
        var secrets = new List<HostSecretRow>();
        foreach (var chunk in latest.Select(s => s.Id).Chunk(FindingStore.MaxKeysPerQuery))
        {
            servers.AddRange(await db.HostServers.AsNoTracking().Where(s => chunk.Contains(s.HostScanId)).OrderBy(s => s.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false));
            secrets.AddRange(await db.HostSecrets.AsNoTracking().Where(s => chunk.Contains(s.HostScanId)).OrderBy(s => s.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false));
        }
        var serversOf = servers.ToLookup(s => s.HostScanId);
        var secretsOf = secrets.ToLookup(s => s.HostScanId);
        return [.. latest.OrderBy(s => s.HostName, StringComparer.Ordinal).Select(s =>
            new HostScan(s.Id, s.HostName, s.ScanId, StoreTime.Utc(s.ScannedAt), s.Os, s.FilesRead, s.Problems)
            {
                Servers = [.. serversOf[s.Id].Select(ToServer)],
                Secrets = [.. secretsOf[s.Id].Select(x => new HostScanSecret(x.Agent, x.ConfigPath, x.Server, x.Location, x.Kind))],
            })];
    }

    /// <summary>True when any host inventory was taken before <paramref name="toUtc"/>.</summary>
    public Task<bool> AnyBeforeAsync(DateTime toUtc, CancellationToken cancellationToken)
    {
        var t = StoreTime.Utc(toUtc);
        return db.HostScans.AsNoTracking().AnyAsync(s => s.ScannedAt < t, cancellationToken);
    }

    private static HostScanServer ToServer(HostServerRow r)
    {
        // Hosts are judged like findings; a name this version does not know reads as suspected: worth a look, not a block.
        var verdict = VerdictNames.ParseOrSuspected(r.Verdict);
        return new HostScanServer(r.Agent, r.Scope, r.ConfigPath, r.Name, r.Transport, verdict, r.Endpoint, r.Origin)
        {
            Launcher = r.Launcher, Ecosystem = r.Ecosystem, Package = r.Package, Version = r.Version, Url = r.Url,
            Enabled = r.Enabled, VerdictReason = r.VerdictReason,
        };
    }
}
