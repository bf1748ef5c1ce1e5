using Npgsql;

namespace ShadowMcp.Reports.Scheduling.Cluster;

/// <summary>
/// report_runs on a shared PostgreSQL store (created by <see cref="ClusterSchema"/>). A claim is a session advisory
/// lock on the period, held on a connection of its own for the whole run, plus the period's row written in a
/// transaction under that lock. While an instance makes a report nobody else can claim it; once the row says "done"
/// nobody claims it again. If the instance dies mid-run, PostgreSQL ends its session and drops the lock with it, so
/// the next claimant finds the row "running" without a holder and takes it over at once (no staleness timer).
/// Even if Quartz fired the job twice, or two instances caught up at start together, one period is made once.
/// </summary>
internal sealed class PostgresReportRunLog(string connectionString, string instanceId) : IReportRunLog
{
    // First key of the two-key advisory lock ("SMRR"); the second is the period's hash. Distinct from Core's keys.
    private const int LockSpace = 0x534D_5252;

    public string InstanceId => instanceId;

    public IReportRunClaim? TryClaim(string period, DateTimeOffset dueAt, DateTimeOffset now)
    {
        // Not pooled: a pooled connection would keep the session lock alive after it is "closed".
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            connection.Open();
            using (var lockCmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(@space, hashtext(@p))", connection))
            {
                lockCmd.Parameters.AddWithValue("space", LockSpace);
                lockCmd.Parameters.AddWithValue("p", period);
                if (lockCmd.ExecuteScalar() is not true)
                {
                    connection.Dispose();
                    return null;
                }
            }
            using var tx = connection.BeginTransaction();
            using var cmd = new NpgsqlCommand("""
                INSERT INTO report_runs (period, due_at, started_at, status, instance_id)
                VALUES (@p, @due, @now, 'running', @i)
                ON CONFLICT (period) DO UPDATE SET due_at = @due, started_at = @now, finished_at = NULL,
                    status = 'running', error = NULL, instance_id = @i
                WHERE report_runs.status <> 'done'
                """, connection, tx);
            cmd.Parameters.AddWithValue("p", period);
            cmd.Parameters.AddWithValue("due", dueAt.ToUniversalTime());
            cmd.Parameters.AddWithValue("now", now.ToUniversalTime());
            cmd.Parameters.AddWithValue("i", instanceId);
            var claimed = cmd.ExecuteNonQuery() == 1;
            tx.Commit();
            if (claimed) return new Claim(connection, period, instanceId);
            connection.Dispose();
            return null;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public IReadOnlyList<ReportRun> List()
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var cmd = new NpgsqlCommand(
            "SELECT period, due_at, status, error, instance_id FROM report_runs ORDER BY period", connection);
        using var r = cmd.ExecuteReader();
        var runs = new List<ReportRun>();
        while (r.Read())
        {
            runs.Add(new ReportRun(r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3)) { InstanceId = r.GetString(4) });
        }
        return runs;
    }

    private sealed class Claim(NpgsqlConnection connection, string period, string instanceId) : IReportRunClaim
    {
        public void Finish(DateTimeOffset now, string? error)
        {
            using var cmd = new NpgsqlCommand("""
                UPDATE report_runs SET status = @s, finished_at = @now, error = @e
                WHERE period = @p AND instance_id = @i
                """, connection);
            cmd.Parameters.AddWithValue("p", period);
            cmd.Parameters.AddWithValue("i", instanceId);
            cmd.Parameters.AddWithValue("s", error is null ? "done" : "failed");
            cmd.Parameters.AddWithValue("now", now.ToUniversalTime());
            cmd.Parameters.AddWithValue("e", (object?)error ?? DBNull.Value);
            cmd.ExecuteNonQuery();
        }

        // Closing the unpooled session releases the advisory lock.
        public void Dispose() => connection.Dispose();
    }
}
