namespace ShadowMcp.Reports.Scheduling;

/// <summary>A scheduled report as recorded: its period, when it was due, and "running", "done" or "failed".</summary>
public sealed record ReportRun(string Period, DateTimeOffset DueAt, string Status, string? Error)
{
    /// <summary>The cluster instance that made (or is making) it; null on the embedded SQLite store.</summary>
    public string? InstanceId { get; init; }
}
