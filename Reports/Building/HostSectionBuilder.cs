using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Model;
using ShadowMcp.Reports.Periods;

namespace ShadowMcp.Reports.Building;

/// <summary>Builds <see cref="HostsSection"/> from the host inventory tables; hosts that did not report in the period are not counted as gone.</summary>
internal static class HostSectionBuilder
{
    public static HostsSection Build(ShadowMcpDbContext db, ReportPeriod period)
    {
        var scans = db.HostScans.AsNoTracking().Where(s => s.ScannedAt < period.ToUtc)
            .Select(s => new { s.Id, s.HostName, s.ScannedAt }).ToList();
        if (scans.Count == 0)
            return new HostsSection { Status = new SectionStatus(false, "No host inventories have been received (shadowmcp host scan --report-to).") };

        var current = scans.Where(s => s.ScannedAt >= period.FromUtc).GroupBy(s => s.HostName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(s => s.ScannedAt).ThenByDescending(s => s.Id).First().Id, StringComparer.Ordinal);
        var previous = scans.Where(s => s.ScannedAt < period.FromUtc && current.ContainsKey(s.HostName)).GroupBy(s => s.HostName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(s => s.ScannedAt).ThenByDescending(s => s.Id).First().Id, StringComparer.Ordinal);
        var ids = current.Values.Concat(previous.Values).ToList();
        var hostOf = current.Concat(previous).ToLookup(kv => kv.Value, kv => kv.Key);
        var servers = db.HostServers.AsNoTracking().Where(s => ids.Contains(s.HostScanId)).ToList()
            .Select(s => (Host: hostOf[s.HostScanId].First(), Row: s, What: WhatOf(s))).ToList();
        var currentIds = current.Values.ToHashSet();
        var now = servers.Where(s => currentIds.Contains(s.Row.HostScanId)).ToList();
        var before = servers.Where(s => !currentIds.Contains(s.Row.HostScanId)).ToList();

        List<HostServerChange> Changes(IEnumerable<(string Host, HostServerRow Row, string What)> from, IEnumerable<(string Host, HostServerRow Row, string What)> minus)
        {
            var known = minus.Select(m => (m.Host, m.What)).ToHashSet();
            return [.. from.Where(s => !known.Contains((s.Host, s.What)))
                .GroupBy(s => (s.Host, s.What))
                .Select(g => new HostServerChange(g.Key.Host, g.Key.What, Worst(g.Select(x => x.Row.Verdict)),
                    string.Join(", ", g.Select(x => x.Row.Agent).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))))
                .OrderBy(c => c.Host, StringComparer.Ordinal).ThenBy(c => c.What, StringComparer.Ordinal)];
        }

        var secrets = db.HostSecrets.AsNoTracking().Where(s => currentIds.Contains(s.HostScanId)).ToList();
        var distinctNow = now.GroupBy(s => (s.Host, s.What)).Select(g => (g.Key.Host, g.Key.What, Verdict: Worst(g.Select(x => x.Row.Verdict)))).ToList();
        return new HostsSection
        {
            Status = new SectionStatus(true, string.Create(CultureInfo.InvariantCulture,
                $"{current.Count} hosts reported in this period; {distinctNow.Count} distinct servers on them.")),
            HostsReporting = current.Count,
            Servers = distinctNow.Count,
            ShadowServers = distinctNow.Count(s => s.Verdict == "shadow"),
            New = Changes(now, before),
            Gone = Changes(before, now),
            ByPackage = [.. now.GroupBy(s => s.What, StringComparer.Ordinal)
                .Select(g => new HostPackageCount(g.Key, Worst(g.Select(x => x.Row.Verdict)), g.Select(x => x.Host).Distinct(StringComparer.Ordinal).Count(), g.Count()))
                .OrderByDescending(p => p.Hosts).ThenBy(p => p.What, StringComparer.Ordinal)],
            ByAgent = [.. now.GroupBy(s => s.Row.Agent, StringComparer.Ordinal)
                .Select(g => new HostAgentCount(g.Key, g.Select(x => x.Host).Distinct(StringComparer.Ordinal).Count(), g.Count(), g.Count(x => x.Row.Verdict == "shadow")))
                .OrderByDescending(a => a.Servers).ThenBy(a => a.Agent, StringComparer.Ordinal)],
            Secrets = [.. secrets.Select(s => new HostSecretLine(hostOf[s.HostScanId].First(), s.Agent, s.Server, s.Location, s.Kind, s.ConfigPath))
                .OrderBy(s => s.Host, StringComparer.Ordinal).ThenBy(s => s.Agent, StringComparer.Ordinal).ThenBy(s => s.Server, StringComparer.Ordinal)
                .ThenBy(s => s.Location, StringComparer.Ordinal)],
        };
    }

    private static string WhatOf(HostServerRow s) =>
        s.Url ?? (s.Package is null ? s.Endpoint : $"{s.Ecosystem}:{s.Package}{(s.Version is null ? "" : "@" + s.Version)}");

    private static string Worst(IEnumerable<string> verdicts)
    {
        var all = verdicts.ToList();
        return all.Contains("shadow") ? "shadow" : all.Contains("suspected") ? "suspected" : all.FirstOrDefault() ?? "shadow";
    }
}
