using System.Diagnostics.Metrics;

namespace ShadowMcp.Reports.Scheduling;

/// <summary>
/// The report scheduler's instrument (meter <see cref="MeterName"/>; README "Metrics"): scheduled report runs that
/// claimed a period, by result (made, failed). A period already made is not a run.
/// </summary>
public static class SchedulerMetrics
{
    public const string MeterName = "ShadowMcp.Scheduler";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>("shadowmcp.scheduler.report.runs", "{run}",
        "Scheduled weekly report runs, by result (made, failed)");

    internal static void Ran(bool made) => Runs.Add(1, new KeyValuePair<string, object?>("result", made ? "made" : "failed"));
}
