using System.Globalization;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Inventory;
using ShadowMcp.Core.Reading;
using ShadowMcp.Reports.Model;
using ShadowMcp.Reports.Periods;

namespace ShadowMcp.Reports.Building;

/// <summary>Builds <see cref="HostsSection"/> from the host inventories; hosts that did not report in the period are not counted as gone.</summary>
internal static class HostSectionBuilder
{
    /// <param name="current">Each host's latest scan in the period, as the report read it; null when no inventory was ever received before the period's end.</param>
    public static async Task<HostsSection> BuildAsync(HostScanReader reader, ReportPeriod period, IReadOnlyList<HostScan>? current, CancellationToken cancellationToken)
    {
        if (current is null)
            return new HostsSection { Status = new SectionStatus(false, "No host inventories have been received (shadowmcp host scan --report-to).") };

        // Each reporting host's latest scan in the period against its latest scan before it.
        var reporting = current.Select(s => s.HostName).ToHashSet(StringComparer.Ordinal);
        var previous = reporting.Count == 0 ? []
            : await reader.LatestPerHostAsync(null, period.FromUtc, reporting, cancellationToken).ConfigureAwait(false);
        var now = Declared(current);
        var before = Declared(previous);

        var distinctNow = now.GroupBy(s => (s.Host, s.What)).Select(g => (g.Key.Host, g.Key.What, Verdict: Worst(g.Select(x => x.Server.Verdict)))).ToList();
        return new HostsSection
        {
            Status = new SectionStatus(true, string.Create(CultureInfo.InvariantCulture,
                $"{current.Count} hosts reported in this period; {distinctNow.Count} distinct servers on them.")),
            HostsReporting = current.Count,
            Servers = distinctNow.Count,
            ShadowServers = distinctNow.Count(s => s.Verdict == Verdict.Shadow),
            New = Changes(now, before),
            Gone = Changes(before, now),
            ByPackage = [.. now.GroupBy(s => s.What, StringComparer.Ordinal)
                .Select(g => new HostPackageCount(g.Key, Worst(g.Select(x => x.Server.Verdict)).ToWire(), g.Select(x => x.Host).Distinct(StringComparer.Ordinal).Count(), g.Count()))
                .OrderByDescending(p => p.Hosts).ThenBy(p => p.What, StringComparer.Ordinal)],
            ByAgent = [.. now.GroupBy(s => s.Server.Agent, StringComparer.Ordinal)
                .Select(g => new HostAgentCount(g.Key, g.Select(x => x.Host).Distinct(StringComparer.Ordinal).Count(), g.Count(), g.Count(x => x.Server.Verdict == Verdict.Shadow)))
                .OrderByDescending(a => a.Servers).ThenBy(a => a.Agent, StringComparer.Ordinal)],
            Secrets = [.. current.SelectMany(scan => scan.Secrets.Select(s => new HostSecretLine(scan.HostName, s.Agent, s.Server, s.Location, s.Kind, s.ConfigPath)))
                .OrderBy(s => s.Host, StringComparer.Ordinal).ThenBy(s => s.Agent, StringComparer.Ordinal).ThenBy(s => s.Server, StringComparer.Ordinal)
                .ThenBy(s => s.Location, StringComparer.Ordinal)],
        };
    }


    private static List<(string Host, HostScanServer Server, string What)> Declared(IReadOnlyList<HostScan> scans) =>
        [.. scans.SelectMany(scan => scan.Servers.Select(s => (scan.HostName, s, s.What)))];

    /// <summary>What <paramref name="from"/> declares that <paramref name="minus"/> does not, per host and server.</summary>
    private static List<HostServerChange> Changes(List<(string Host, HostScanServer Server, string What)> from, List<(string Host, HostScanServer Server, string What)> minus)
    {
        var known = minus.Select(m => (m.Host, m.What)).ToHashSet();
        return [.. from.Where(s => !known.Contains((s.Host, s.What)))
            .GroupBy(s => (s.Host, s.What))
            .Select(g => new HostServerChange(g.Key.Host, g.Key.What, Worst(g.Select(x => x.Server.Verdict)).ToWire(),
                string.Join(", ", g.Select(x => x.Server.Agent).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))))
            .OrderBy(c => c.Host, StringComparer.Ordinal).ThenBy(c => c.What, StringComparer.Ordinal)];
    }

    /// <summary>One server declared several times (several agents) counts as its most worrying verdict.</summary>
    private static Verdict Worst(IEnumerable<Verdict> verdicts)
    {
        var all = verdicts.ToList();
        return all.Contains(Verdict.Shadow) || all.Count == 0 ? Verdict.Shadow
            : all.Contains(Verdict.Suspected) ? Verdict.Suspected : Verdict.Sanctioned;
    }
}
