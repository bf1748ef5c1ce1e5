using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;
using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Scheduling.Cluster;
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
        var bound = section.Get<ReportsOptions>() ?? new ReportsOptions();
        var store = ClusteredStore(bound.Database);
        var clusterValid = !ClusterOptionsCheck.Errors(bound.Cluster).Any();
        var instance = ClusterInstance.From(clusterValid ? bound.Cluster : new ClusterOptions());
        services.AddSingleton(instance);
        services.AddSingleton<WeeklyReportRunner>();
        // Hosted services start in order: the scheduler's tables exist before the catch-up or Quartz touch them.
        if (store is not null && bound.Enabled)
            services.AddHostedService(sp => new ClusterSchemaService(store, instance,
                sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ClusterSchemaService>>()));
        services.AddHostedService<ReportCatchUpService>();

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
        if (!clusterValid) return services;
        services.AddQuartz(q =>
        {
            if (store is not null) UseClusteredStore(q, store, bound.Cluster, instance);
            // RequestRecovery: a run cut short by a dead instance is run again by another one (clustered store).
            q.AddJob<WeeklyReportJob>(j => j.WithIdentity(WeeklyReportJob.Key).StoreDurably().RequestRecovery());
            q.AddTrigger(t => t.ForJob(WeeklyReportJob.Key).WithIdentity("weekly-report-cron", "shadowmcp")
                .WithCronSchedule(bound.Cron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>The PostgreSQL store the scheduler clusters on; null for SQLite, or for a target the store refuses.</summary>
    private static StoreTarget? ClusteredStore(string? database)
    {
        if (database is null || !StoreTarget.IsPostgres(database)) return null;
        try
        {
            return StoreTarget.Parse(database);
        }
        catch (StoreException)
        {
            return null; // the store itself reports the bad target when it is opened, with exit code 4
        }
    }

    /// <summary>
    /// Quartz's ADO.NET job store on the shared PostgreSQL store, clustered: every instance runs a scheduler, the
    /// trigger lives in the database, and one instance fires it. An instance that misses its check-ins for
    /// FailedInstanceAfter is declared dead and its interrupted run is recovered by another.
    /// </summary>
    private static void UseClusteredStore(
        IQuartzBuilder q, StoreTarget store, ClusterOptions cluster, ClusterInstance instance)
    {
        // One scheduler name for the whole cluster; one id per instance (the id report_runs records too).
        q.ConfigureScheduler(o =>
        {
            o.InstanceName = "shadowmcp-reports";
            o.InstanceId = instance.Id;
        });
        q.UsePersistentStore(s =>
        {
            s.UsePostgres(store.Location);
            s.UseClustering(c =>
            {
                c.CheckinInterval = cluster.CheckInInterval;
                c.CheckinMisfireThreshold = cluster.FailedInstanceAfter;
            });
        });
    }
}
