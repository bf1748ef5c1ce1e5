using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Dns;
using ShadowMcp.Reports.Periods;
using Periods = ShadowMcp.Reports.Periods;
using ShadowMcp.Reports.Sources;

namespace ShadowMcp.Reports.Scheduling;

public static class ReportsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the weekly report: options from section "Reports" (validated at start), the runner, the start-up
    /// catch-up, and a Quartz cron trigger with the Quartz hosted service. Portal, enforcement and audit sources default
    /// to "not configured"; register your own <see cref="IPortalActivitySource"/> etc. to fill those sections.
    /// Safe to call twice.
    /// </summary>
    public static IServiceCollection AddShadowMcpReports(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(WeeklyReportRunner))) return services;
        var section = configuration.GetSection(ReportsOptions.Section);
        services.AddOptions<ReportsOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReportsOptions>, ReportsOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPortalActivitySource>(NotConfiguredSources.Instance);
        services.TryAddSingleton<IEnforcementStateSource>(NotConfiguredSources.Instance);
        services.TryAddSingleton<IAuditChainSource>(NotConfiguredSources.Instance);
        services.TryAddSingleton<IReverseDnsResolver>(sp => new DnsClientReverseResolver(sp.GetRequiredService<IOptions<ReportsOptions>>().Value.Dns));
        services.AddSingleton(sp => new ReportSources(
            sp.GetRequiredService<IPortalActivitySource>(), sp.GetRequiredService<IEnforcementStateSource>(),
            sp.GetRequiredService<IAuditChainSource>(), sp.GetRequiredService<IReverseDnsResolver>())
        {
            TriageOverdueDays = sp.GetRequiredService<IOptions<ReportsOptions>>().Value.TriageOverdueDays,
            RiskWeights = sp.GetRequiredService<IOptions<ReportsOptions>>().Value.RiskWeights is { Length: > 0 } weights
                ? Risk.RiskWeights.Load(weights) : Risk.RiskWeights.Default,
        });
        services.AddSingleton<WeeklyReportRunner>();
        services.AddHostedService<ReportCatchUpService>();

        var bound = section.Get<ReportsOptions>() ?? new ReportsOptions();
        if (!bound.Enabled) return services;
        // A bad cron or zone is reported by the validator at start; do not let Quartz fail first with a vaguer message.
        TimeZoneInfo zone;
        try
        {
            zone = Periods.TimeZones.Find(bound.TimeZone ?? "local");
            _ = new CronSchedule(bound.Cron, zone);
        }
        catch (ReportInputException)
        {
            return services;
        }
        services.AddQuartz(q =>
        {
            q.AddJob<WeeklyReportJob>(j => j.WithIdentity(WeeklyReportJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(WeeklyReportJob.Key).WithIdentity("weekly-report-cron", "shadowmcp")
                .WithCronSchedule(bound.Cron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
