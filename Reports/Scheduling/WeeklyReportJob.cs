using Quartz;

namespace ShadowMcp.Reports.Scheduling;

/// <summary>The Quartz job: the runner decides what is due, so a duplicate fire does nothing.</summary>
[DisallowConcurrentExecution]
internal sealed class WeeklyReportJob(WeeklyReportRunner runner) : IJob
{
    public static readonly JobKey Key = new("weekly-report", "shadowmcp");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await runner.RunDueAsync(cancellationToken).ConfigureAwait(false);
}
