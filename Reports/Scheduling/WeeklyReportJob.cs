using Microsoft.Extensions.Logging;
using Quartz;

namespace ShadowMcp.Reports.Scheduling;

/// <summary>
/// The Quartz job: the runner decides what is due and claims the period, so a duplicate or concurrent fire does
/// nothing. Not [DisallowConcurrentExecution]: the claim already makes runs of one period exclusive (in one process
/// and across a cluster), and on a clustered store Quartz holds back the recovery of a non-concurrent job until a
/// second failure-detection cycle, which only delays the takeover of a dead instance's run (docs/fleet.md).
/// </summary>
internal sealed partial class WeeklyReportJob(WeeklyReportRunner runner, ILogger<WeeklyReportJob> logger) : IJob
{
    public static readonly JobKey Key = new("weekly-report", "shadowmcp");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (context.Recovering) LogRecovering(logger, context.Scheduler.SchedulerInstanceId);
        await runner.RunDueAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Instance {Instance} recovers a report run of a failed instance")]
    private static partial void LogRecovering(ILogger logger, string instance);
}
