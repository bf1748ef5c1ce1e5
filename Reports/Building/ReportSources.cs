using ShadowMcp.Reports.Dns;
using ShadowMcp.Reports.Sources;

namespace ShadowMcp.Reports.Building;

/// <summary>The optional data sources of one report; absent ones answer "not configured".</summary>
public sealed record ReportSources(
    IPortalActivitySource Portal,
    IEnforcementStateSource Enforcement,
    IAuditChainSource Audit,
    IReverseDnsResolver ReverseDns)
{
    public static ReportSources NotConfigured(ReverseDnsOptions? dns = null) =>
        new(NotConfiguredSources.Instance, NotConfiguredSources.Instance, NotConfiguredSources.Instance, new DnsClientReverseResolver(dns ?? new ReverseDnsOptions()));
}
