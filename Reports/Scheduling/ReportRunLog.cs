using Microsoft.Data.Sqlite;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Reports.Scheduling;

/// <summary>
/// Which scheduled reports were made, one row per period, in the store's SQLite file (table report_runs). Claiming a
/// period is one INSERT on a primary key, so two starts or two hosts cannot both make the same week's report.
/// A claim left "running" by a crash for more than <see cref="StaleAfter"/> can be taken over. A PostgreSQL store
/// uses <see cref="Cluster.PostgresReportRunLog"/> instead.
/// </summary>
internal sealed class ReportRunLog(string databasePath) : IReportRunLog
{
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(StorePaths.ConnectionString(databasePath));
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA busy_timeout=5000; CREATE TABLE IF NOT EXISTS report_runs (Period TEXT NOT NULL PRIMARY KEY, " +
                          "DueAt TEXT NOT NULL, StartedAt TEXT NOT NULL, FinishedAt TEXT NULL, Status TEXT NOT NULL, Error TEXT NULL);";
        cmd.ExecuteNonQuery();
        return c;
    }

    IReportRunClaim? IReportRunLog.TryClaim(string period, DateTimeOffset dueAt, DateTimeOffset now) =>
        TryClaim(period, dueAt, now) ? new Claim(this, period) : null;

    private sealed class Claim(ReportRunLog log, string period) : IReportRunClaim
    {
        public void Finish(DateTimeOffset now, string? error) => log.Finish(period, now, error);

        public void Dispose() { }
    }

    /// <summary>True if this caller now owns making the report for <paramref name="period"/>.</summary>
    public bool TryClaim(string period, DateTimeOffset dueAt, DateTimeOffset now)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT INTO report_runs (Period, DueAt, StartedAt, Status) VALUES ($p, $due, $now, 'running')
            ON CONFLICT(Period) DO UPDATE SET DueAt = $due, StartedAt = $now, Status = 'running', Error = NULL, FinishedAt = NULL
            WHERE report_runs.Status = 'failed' OR (report_runs.Status = 'running' AND report_runs.StartedAt < $stale);
            """;
        cmd.Parameters.AddWithValue("$p", period);
        cmd.Parameters.AddWithValue("$due", dueAt.UtcDateTime.ToString("O"));
        cmd.Parameters.AddWithValue("$now", now.UtcDateTime.ToString("O"));
        cmd.Parameters.AddWithValue("$stale", (now - StaleAfter).UtcDateTime.ToString("O"));
        return cmd.ExecuteNonQuery() == 1;
    }

    public void Finish(string period, DateTimeOffset now, string? error)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE report_runs SET Status = $s, FinishedAt = $now, Error = $e WHERE Period = $p;";
        cmd.Parameters.AddWithValue("$p", period);
        cmd.Parameters.AddWithValue("$s", error is null ? "done" : "failed");
        cmd.Parameters.AddWithValue("$now", now.UtcDateTime.ToString("O"));
        cmd.Parameters.AddWithValue("$e", (object?)error ?? DBNull.Value);
        cmd.ExecuteNonQuery();
    }

    public IReadOnlyList<ReportRun> List()
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT Period, DueAt, Status, Error FROM report_runs ORDER BY Period;";
        using var r = cmd.ExecuteReader();
        var runs = new List<ReportRun>();
        while (r.Read())
            runs.Add(new ReportRun(r.GetString(0), DateTimeOffset.Parse(r.GetString(1), System.Globalization.CultureInfo.InvariantCulture), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3)));
        return runs;
    }
}
