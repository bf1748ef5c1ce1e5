using Npgsql;
using ShadowMcp.Core.Store;
using ShadowMcp.Reports.Scheduling.Cluster;
using ShadowMcp.Tests;

namespace ShadowMcp.Reports.Tests.Scheduling.Cluster;

[Category("Integration")]
public sealed class ClusterSchemaTests
{
    private static string ConnectionString(string url) => StoreTarget.Parse(url).Location;

    private static List<string> Tables(string url)
    {
        using var c = new NpgsqlConnection(ConnectionString(url));
        c.Open();
        using var cmd = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name", c);
        using var r = cmd.ExecuteReader();
        var names = new List<string>();
        while (r.Read()) names.Add(r.GetString(0));
        return names;
    }

    [Test]
    public void Apply_Twice_CreatesQuartzTablesAndReportRunsOnce()
    {
        var url = LocalPostgres.CreateDatabase("clusterschema");

        ClusterSchema.Apply(ConnectionString(url));
        var first = Tables(url);
        ClusterSchema.Apply(ConnectionString(url));

        Assert.That(first, Does.Contain("report_runs").And.Contain("qrtz_triggers").And.Contain("qrtz_cron_triggers")
            .And.Contain("qrtz_fired_triggers").And.Contain("qrtz_scheduler_state").And.Contain("qrtz_locks"));
        Assert.That(Tables(url), Is.EqualTo(first));
    }

    [Test]
    public void Apply_FromSixConnectionsAtOnce_AllSucceed()
    {
        var url = LocalPostgres.CreateDatabase("clusterschemarace");
        using var start = new Barrier(6);

        var tasks = Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromMinutes(1));
            ClusterSchema.Apply(ConnectionString(url));
        })).ToArray();

        Assert.DoesNotThrow(() => Task.WaitAll(tasks, TimeSpan.FromMinutes(2)));
        Assert.That(Tables(url), Does.Contain("report_runs").And.Contain("qrtz_job_details"));
    }

    [Test]
    public void Statements_QuartzScriptShipsInTheQuartzAssembly_EndsWithReportRuns()
    {
        var statements = ClusterSchema.Statements();

        Assert.That(statements.Count(s => s.Contains("CREATE TABLE IF NOT EXISTS qrtz_", StringComparison.Ordinal)),
            Is.GreaterThanOrEqualTo(11), "the eleven classic Quartz tables at least");
        Assert.That(statements, Has.None.Contain("{0}"));
        Assert.That(statements[^1], Does.Contain("CREATE TABLE IF NOT EXISTS report_runs"));
    }
}
