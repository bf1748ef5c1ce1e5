using Microsoft.Extensions.DependencyInjection;
using ShadowMcp.Core.Findings;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Model;
using ShadowMcp.Reports.Risk;

namespace ShadowMcp.Admin.Findings;

/// <summary>
/// A finding's risk as the weekly report computes it (Reports/Risk), with the weights serve's reports use
/// (<c>Reports:RiskWeights</c>), so the page and the report never disagree. Only shadow and suspected findings have one.
/// </summary>
internal static class FindingRisk
{
    public static RiskAssessment? Of(Finding f, IServiceProvider services)
    {
        if (f.Verdict is not (Verdict.Shadow or Verdict.Suspected)) return null;
        var weights = services.GetService<ReportSources>()?.RiskWeights ?? RiskWeights.Default;
        var server = new ShadowServer
        {
            Endpoint = f.Endpoint.Key, Address = f.Endpoint.Address, Port = f.Endpoint.Port, Path = f.Endpoint.Path,
            Hosts = [.. f.Hosts], Transport = f.Transport, ProtocolVersions = [.. f.ProtocolVersions], Status = "active",
            Confidence = f.Confidence, Clients = [.. f.Clients.Select(c => new ClientEntry(c, null))], ClientApps = [.. f.ClientApps],
            Tools = [.. f.Tools],
            Evidence = [.. f.Evidence.Select(e => new EvidenceEntry(e.Rule, e.Title, e.Level, e.Detail, e.Count, e.FirstSeen, e.LastSeen, e.Example))],
        };
        return RiskScorer.Score(server, weights);
    }
}
