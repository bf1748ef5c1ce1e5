using ShadowMcp.Core.Inventory;
using ShadowMcp.Core.Reading;
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
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> BuildAsync(HostScanReader reader, ReportPeriod period,
        IEnumerable<(string Endpoint, IReadOnlyList<string> Hosts)> servers, CancellationToken cancellationToken)
    {
        // Most stores have no host inventories: one cheap question instead of the per-host query.
        if (!await reader.AnyBeforeAsync(period.ToUtc, cancellationToken).ConfigureAwait(false)) return new Dictionary<string, IReadOnlyList<string>>();
        var latest = await reader.LatestPerHostAsync(period.FromUtc, period.ToUtc, null, cancellationToken).ConfigureAwait(false);
        return Build(latest, servers);
    }

    /// <param name="latest">Each host's latest inventory in the period.</param>
    /// <returns>Evidence lines per server endpoint key; servers with none are absent.</returns>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Build(IReadOnlyList<HostScan> latest,
        IEnumerable<(string Endpoint, IReadOnlyList<string> Hosts)> servers)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var holders = latest.Where(s => s.Secrets.Count > 0).OrderBy(s => s.Id).ToList();
        if (holders.Count == 0) return result;
        foreach (var (endpoint, hosts) in servers)
        {
            var names = hosts.ToHashSet(StringComparer.OrdinalIgnoreCase);
            var users = holders.Where(scan => scan.Servers.Any(r => r.Url is not null && (r.Endpoint == endpoint
                || (Uri.TryCreate(r.Url, UriKind.Absolute, out var url) && names.Contains(url.Host))))).ToList();
            if (users.Count == 0) continue;
            result[endpoint] = [.. users.SelectMany(scan => scan.Secrets
                    .Select(s => $"{scan.HostName}: {s.Kind} in {s.Agent} config for '{s.Server}' ({s.Location})"))
                .Take(MaxLines)];
        }
        return result;
    }
}
