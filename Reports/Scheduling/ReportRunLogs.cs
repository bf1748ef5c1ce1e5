using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Scheduling.Cluster;

namespace ShadowMcp.Reports.Scheduling;

/// <summary>The run log that fits the store: report_runs in the SQLite file, or the clustered one.</summary>
internal static class ReportRunLogs
{
    public static IReportRunLog For(string database, string instanceId) =>
        StoreTarget.IsPostgres(database)
            ? new PostgresReportRunLog(StoreTarget.Parse(database).Location, instanceId)
            : new ReportRunLog(database);
}
