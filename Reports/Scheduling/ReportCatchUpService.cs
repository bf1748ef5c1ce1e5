using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ShadowMcp.Reports.Scheduling;

/// <summary>At start-up, makes the report that fell due while the host was down (if any, once).</summary>
internal sealed class ReportCatchUpService(WeeklyReportRunner runner, IOptions<ReportsOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Enabled && options.Value.CatchUpOnStart)
            await runner.RunDueAsync(stoppingToken).ConfigureAwait(false);
    }
}
