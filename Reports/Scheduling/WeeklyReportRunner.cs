using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Delivery;
using ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Scheduling.Cluster;
using ShadowMcp.Reports.Writers;

namespace ShadowMcp.Reports.Scheduling;

/// <summary>
/// Makes the scheduled report when one is due and not yet made: the report for the last complete ISO week before
/// the due time. Called by the Quartz job when the cron fires and once at start-up, which is how a report missed
/// while the host was down is made at the next start, exactly once (the period is claimed in report_runs).
/// </summary>
public sealed partial class WeeklyReportRunner(
    IOptions<ReportsOptions> options, ReportSources sources, TimeProvider time, ILogger<WeeklyReportRunner> logger,
    ClusterInstance? instance = null) : IDisposable
{
    private readonly ClusterInstance _instance = instance ?? ClusterInstance.From(options.Value.Cluster);

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public void Dispose() => _oneAtATime.Dispose();

    public string DatabasePath => options.Value.Database ?? StorePaths.Default;

    /// <summary>Returns the period made, or null when nothing was due or it was already made.</summary>
    public async Task<string?> RunDueAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var zone = TimeZones.Find(o.TimeZone ?? "local");
        var schedule = new CronSchedule(o.Cron, zone);
        var now = time.GetUtcNow();
        if (schedule.LastDueAtOrBefore(now) is not { } due) return null;
        var period = ReportPeriod.WeekContaining(due.UtcDateTime, zone).ShiftWeeks(-1);

        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var claim = ReportRunLogs.For(DatabasePath, _instance.Id).TryClaim(period.Label, due, now);
            if (claim is null) return null;
            LogMaking(logger, period.Label, due, _instance.Id);
            try
            {
                await MakeAndDeliverAsync(o, period, now.UtcDateTime, cancellationToken).ConfigureAwait(false);
                claim.Finish(time.GetUtcNow(), null);
                SchedulerMetrics.Ran(made: true);
                return period.Label;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                claim.Finish(time.GetUtcNow(), ex.Message);
                SchedulerMetrics.Ran(made: false);
                LogFailed(logger, period.Label, ex);
                return null;
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task MakeAndDeliverAsync(ReportsOptions o, ReportPeriod period, DateTime generatedAt, CancellationToken cancellationToken)
    {
        var formats = o.Formats.Length == 0 ? ReportFormats.All : ReportFormats.Parse(o.Formats);
        var withJson = formats.Contains(ReportFormat.Json) ? formats : [.. formats, ReportFormat.Json];
        var (_, files) = await new ReportGenerator(sources, time).GenerateAsync(DatabasePath, period, withJson, generatedAt, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrWhiteSpace(o.OutputDirectory))
            ReportGenerator.WriteTo(o.OutputDirectory, [.. files.Where(f => formats.Contains(f.Format))]);
        if (!string.IsNullOrWhiteSpace(o.Webhook.Url))
        {
            var json = Encoding.UTF8.GetBytes(files.Single(f => f.Format == ReportFormat.Json).Content);
            if (!await new WebhookDelivery(o.Webhook, time, logger).DeliverAsync(period.Label, json, cancellationToken).ConfigureAwait(false))
                throw new IOException($"webhook {o.Webhook.Url} did not accept the report");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Making report {Period} (due {Due}) on instance {Instance}")]
    private static partial void LogMaking(ILogger logger, string period, DateTimeOffset due, string instance);

    [LoggerMessage(Level = LogLevel.Error, Message = "Report {Period} failed; it will be tried again at the next start or fire time")]
    private static partial void LogFailed(ILogger logger, string period, Exception ex);
}
