using ShadowMcp.Reports.Dns;
using ShadowMcp.Reports.Scheduling.Cluster;

namespace ShadowMcp.Reports.Scheduling;

/// <summary>Configuration section "Reports" (appsettings.json, then SHADOWMCP_Reports__* environment variables, then flags).</summary>
public sealed class ReportsOptions
{
    public const string Section = "Reports";

    public bool Enabled { get; set; } = true;
    /// <summary>Quartz cron (seconds first). Default: Monday 06:00 in <see cref="TimeZone"/>.</summary>
    public string Cron { get; set; } = "0 0 6 ? * MON";
    /// <summary>IANA id; null or "local" is the host's zone. Defines both the schedule and the report week.</summary>
    public string? TimeZone { get; set; }
    /// <summary>Store path; null means ShadowMcp.Core.Store.StorePaths.Default.</summary>
    public string? Database { get; set; }
    /// <summary>html, md, csv, json; empty means all four (a non-empty default would be appended to by the binder).</summary>
    public string[] Formats { get; set; } = [];
    /// <summary>Directory the reports are written to; null means no directory delivery.</summary>
    public string? OutputDirectory { get; set; }
    public WebhookOptions Webhook { get; set; } = new();
    public ReverseDnsOptions Dns { get; set; } = new();
    /// <summary>Clustered scheduling, used when <see cref="Database"/> is a PostgreSQL store.</summary>
    public ClusterOptions Cluster { get; set; } = new();
    /// <summary>Make a missed report at start-up (the host was down when it was due).</summary>
    public bool CatchUpOnStart { get; set; } = true;
    /// <summary>
    /// Days a shadow or suspected finding may stay "new" or "under review" after it was first seen before the report
    /// lists it as overdue (1 to 365).
    /// </summary>
    public int TriageOverdueDays { get; set; } = ReportsOptionsDefaults.TriageOverdueDays;
    /// <summary>A JSON file of risk weights (a copy of Reports/Risk/risk-weights.json); null means the shipped weights.</summary>
    public string? RiskWeights { get; set; }
}
