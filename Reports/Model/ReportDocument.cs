namespace ShadowMcp.Reports.Model;

/// <summary>
/// Everything one report says, in the order the writers print it. Built once by the report builder and written in
/// every format, so the formats cannot disagree. All times are UTC; lists are in a fixed order.
/// </summary>
public sealed record ReportDocument
{
    public required ReportPeriodInfo Period { get; init; }
    /// <summary>Only set when the caller passed a generation time, so that the same store gives the same bytes.</summary>
    public DateTime? GeneratedAt { get; init; }
    /// <summary>True when the store shows no MCP activity at all in the period.</summary>
    public bool Empty { get; init; }
    /// <summary>The one-page executive summary every format prints first; built from the rest of the document.</summary>
    public ExecutiveSummary? Summary { get; init; }
    public required Headline Headline { get; init; }
    public required IReadOnlyList<ShadowServer> Servers { get; init; }
    /// <summary>Shadow servers active in the previous 8 weeks but not in this period.</summary>
    public required IReadOnlyList<GoneServer> Gone { get; init; }
    public required IReadOnlyList<TrendWeek> Trend { get; init; }
    public required IReadOnlyList<TopClient> TopClients { get; init; }
    public required PortalSection Portal { get; init; }
    public required SectionStatus Enforcement { get; init; }
    public required AuditSection Audit { get; init; }
    public required SectionStatus ReverseDns { get; init; }
    /// <summary>"MCP servers on hosts", from the host inventories; null only for documents built without a store.</summary>
    public HostsSection? Hosts { get; init; }
    /// <summary>Findings by triage status and the overdue ones; null only for documents built without a store.</summary>
    public TriageSection? Triage { get; init; }
    /// <summary>Captures saved in the period that dropped packets or gave something up to the limits; null without a store.</summary>
    public CaptureLossSection? CaptureLoss { get; init; }
    /// <summary>Every finding active in the period (all verdicts): the CSV rows.</summary>
    public required IReadOnlyList<FindingLine> Findings { get; init; }
    /// <summary>What each basis a finding can have means and how sure it lets a reader be, strongest first.</summary>
    public IReadOnlyList<BasisLegendEntry> BasisLegend { get; init; } = BasisLegendEntry.All;
}
