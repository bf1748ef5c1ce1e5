using Microsoft.Extensions.DependencyInjection;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Reading;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Model;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Risk;

namespace ShadowMcp.Admin.Findings;

/// <summary>
/// A finding's risk as the weekly report computes it (Reports/Risk), with the weights serve's reports use
/// (<c>Reports:RiskWeights</c>) and the host inventories of the last seven days, so the page and the report agree.
/// Only shadow and suspected findings have one.
/// </summary>
internal static class FindingRisk
{
    public static async Task<RiskAssessment?> OfAsync(Finding f, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (f.Verdict is not (Verdict.Shadow or Verdict.Suspected)) return null;
        var weights = services.GetService<ReportSources>()?.RiskWeights ?? RiskWeights.Default;
        // The report looks at the week's inventories; the page at the last seven days up to now.
        var now = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var lastWeek = new ReportPeriod("last 7 days", now.AddDays(-7), now.AddMinutes(1), TimeZoneInfo.Utc, IsIsoWeek: false);
        IReadOnlyDictionary<string, IReadOnlyList<string>> links;
        await using (var db = services.GetRequiredService<AdminStore>().Open())
            links = await HostSecretLinks.BuildAsync(new HostScanReader(db), lastWeek, [(f.Endpoint.Key, [.. f.Hosts])], cancellationToken).ConfigureAwait(false);
        var hostSecrets = links.GetValueOrDefault(f.Endpoint.Key) ?? [];
        var server = new ShadowServer
        {
            Endpoint = f.Endpoint.Key, Address = f.Endpoint.Address, Port = f.Endpoint.Port, Path = f.Endpoint.Path,
            Hosts = [.. f.Hosts], Transport = f.Transport, ProtocolVersions = [.. f.ProtocolVersions], Status = "active",
            Confidence = f.Confidence, Clients = [.. f.Clients.Select(c => new ClientEntry(c, null))], ClientApps = [.. f.ClientApps],
            Tools = [.. f.Tools], HostSecrets = hostSecrets,
            Evidence = [.. f.Evidence.Select(e => new EvidenceEntry(e.Rule, e.Title, e.Level, e.Detail, e.Count, e.FirstSeen, e.LastSeen, e.Example))],
        };
        return RiskScorer.Score(server, weights);
    }
}
