using ShadowMcp.Reports.Dns;
using ShadowMcp.Reports.Scheduling;
using ShadowMcp.Reports.Sources;

namespace ShadowMcp.Reports.Building;

/// <summary>
/// The optional data sources of one report (absent ones answer "not configured") and the settings that go with
/// them, so every path that makes a report (schedule, CLI, admin "generate now") gets the same ones.
/// </summary>
public sealed record ReportSources(
    IPortalActivitySource Portal,
    IEnforcementStateSource Enforcement,
    IAuditChainSource Audit,
    IReverseDnsResolver ReverseDns)
{
    /// <summary>Days a shadow or suspected finding may stay new or under review before the report lists it as overdue.</summary>
    public int TriageOverdueDays { get; init; } = ReportsOptionsDefaults.TriageOverdueDays;

    /// <summary>The points per risk factor (<c>Reports:RiskWeights</c> or <c>report --risk-weights</c>; else the shipped file).</summary>
    public Risk.RiskWeights RiskWeights { get; init; } = Risk.RiskWeights.Default;

    public static ReportSources NotConfigured(ReverseDnsOptions? dns = null) =>
        new(NotConfiguredSources.Instance, NotConfiguredSources.Instance, NotConfiguredSources.Instance, new DnsClientReverseResolver(dns ?? new ReverseDnsOptions()));
}
