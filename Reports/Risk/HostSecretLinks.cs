using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Periods;

namespace ShadowMcp.Reports.Risk;

/// <summary>
/// Which hosts use a server and hold plaintext credentials in their agent configs: a host "uses" a remote server when
/// one of its declared servers points at a URL whose host is one of the server's names (or whose endpoint is the
/// server's endpoint). Read from each host's latest inventory in the period. Only kinds and places are stored, never a
/// value, so the evidence names the host, the kind and where it sits.
/// </summary>
public static class HostSecretLinks
{
    private const int MaxLines = 5;

    /// <returns>Evidence lines per server endpoint key; servers with none are absent.</returns>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Build(ShadowMcpDbContext db, ReportPeriod period,
        IEnumerable<(string Endpoint, IReadOnlyList<string> Hosts)> servers)
    {
        var latest = db.HostScans.AsNoTracking()
            .Where(s => s.ScannedAt >= period.FromUtc && s.ScannedAt < period.ToUtc)
            .Select(s => new { s.Id, s.HostName, s.ScannedAt }).AsEnumerable()
            .GroupBy(s => s.HostName, StringComparer.Ordinal)
            .ToDictionary(g => g.OrderByDescending(s => s.ScannedAt).ThenByDescending(s => s.Id).First().Id, g => g.Key);
        if (latest.Count == 0) return new Dictionary<string, IReadOnlyList<string>>();
        var ids = latest.Keys.ToList();
        var secretsByScan = db.HostSecrets.AsNoTracking().Where(s => ids.Contains(s.HostScanId)).AsEnumerable()
            .GroupBy(s => s.HostScanId).ToDictionary(g => g.Key, g => g.ToList());
        if (secretsByScan.Count == 0) return new Dictionary<string, IReadOnlyList<string>>();
        var remote = db.HostServers.AsNoTracking().Where(s => ids.Contains(s.HostScanId) && s.Url != null)
            .Select(s => new { s.HostScanId, s.Url, s.Endpoint }).ToList();

        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (endpoint, hosts) in servers)
        {
            var names = hosts.ToHashSet(StringComparer.OrdinalIgnoreCase);
            var users = remote
                .Where(r => r.Endpoint == endpoint
                    || (Uri.TryCreate(r.Url, UriKind.Absolute, out var url) && names.Contains(url.Host)))
                .Select(r => r.HostScanId).Where(secretsByScan.ContainsKey).Distinct().Order().ToList();
            if (users.Count == 0) continue;
            result[endpoint] = [.. users.SelectMany(id => secretsByScan[id]
                    .Select(s => $"{latest[id]}: {s.Kind} in {s.Agent} config for '{s.Server}' ({s.Location})"))
                .Take(MaxLines)];
        }
        return result;
    }
}
