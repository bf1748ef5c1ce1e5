using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Npgsql;
using ShadowMcp.Core.Store;
using ShadowMcp.Tests;

namespace ShadowMcp.Cli.Tests;

/// <summary>
/// Two real `serve` processes on one real PostgreSQL store, clustered through Quartz's ADO.NET job store: the
/// report of a period is made once, and when the instance making it is SIGKILLed mid-run the other one recovers the
/// run and makes it. The cron fires once a minute, so the takeover comes from Quartz's recovery of the dead
/// instance's job, not from the next fire. The run is held open by the test's webhook receiver, which answers only
/// when the test says so; every wait is on an event (a request arrives, a row changes, Quartz records a fire) with
/// a generous hang guard.
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
public sealed class ClusteredSchedulingTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(4);

    [Test]
    public async Task Serve_TwoInstancesOneStore_ReportMadeOnceAndTakenOverWhenTheHolderIsKilled()
    {
        var db = LocalPostgres.CreateDatabase("cluster");
        var reports = Directory.CreateTempSubdirectory("shadowmcp-cluster-reports-").FullName;
        using var hook = new HookReceiver();
        // Once a minute, at a second about half a minute from now (time for both to start).
        var fireSecond = DateTime.UtcNow.AddSeconds(30).Second;
        Dictionary<string, string> Settings(int _) => new()
        {
            ["SHADOWMCP_Reports__Cron"] = $"{fireSecond} * * * * ?",
            ["SHADOWMCP_Reports__TimeZone"] = "UTC",
            ["SHADOWMCP_Reports__OutputDirectory"] = reports,
            ["SHADOWMCP_Reports__Formats__0"] = "json",
            ["SHADOWMCP_Reports__Webhook__Url"] = hook.Url,
            ["SHADOWMCP_Reports__Webhook__Secret"] = "cluster-test-secret",
            ["SHADOWMCP_Reports__Webhook__MaxAttempts"] = "1",
            ["SHADOWMCP_Reports__Webhook__Timeout"] = "00:05:00",
            ["SHADOWMCP_Reports__Cluster__CheckInInterval"] = "00:00:02",
            ["SHADOWMCP_Reports__Cluster__FailedInstanceAfter"] = "00:00:05",
        };
        using var a = ServeProcess.Start([], Settings, db);
        using var b = ServeProcess.Start([], Settings, db);
        string Output() => $"--- serve A (pid {a.Pid}):\n{a.Output}\n--- serve B (pid {b.Pid}):\n{b.Output}";
        try
        {
            // The first run: one instance claims the period and POSTs; the receiver holds it there.
            var first = await hook.NextAsync(HangGuard, Output);
            var period = first.Request.Headers["X-ShadowMcp-Period"]!;
            var holding = Runs(db).Single();
            Assert.That((holding.Period, holding.Status), Is.EqualTo((period, "running")), Output);
            var (holder, survivor) = PidOf(holding.Instance) == a.Pid ? (a, b) : (b, a);
            Assert.That(PidOf(holding.Instance), Is.EqualTo(holder.Pid), "the run row names the instance making it");

            var killedAt = Stopwatch.StartNew();
            holder.Kill();
            first.Response.Abort();

            // The survivor sees the holder miss its check-ins, recovers its run and makes the report itself.
            var second = await hook.NextAsync(HangGuard, Output);
            var takeover = killedAt.Elapsed;
            Assert.That(second.Request.Headers["X-ShadowMcp-Period"], Is.EqualTo(period));
            var retaken = Runs(db).Single();
            Assert.That((retaken.Status, PidOf(retaken.Instance)), Is.EqualTo(("running", survivor.Pid)), Output);
            second.Response.StatusCode = 200;
            second.Response.Close();

            var done = await WaitForAsync(() => Runs(db) is [{ Status: "done" } run] ? run : null, Output);
            Assert.That(PidOf(done.Instance), Is.EqualTo(survivor.Pid));
            Assert.That(File.Exists(Path.Combine(reports, $"report-{period}.json")), Is.True, Output);
            Assert.That(survivor.Output, Does.Contain("recovers a report run of a failed instance"),
                "the takeover is Quartz's recovery of the dead instance's job");

            // Exactly once: the trigger fires again on the survivor, and nothing is made or sent again.
            var fired = LastFire(db);
            await WaitForAsync(() => LastFire(db) > fired ? "fired" : null, Output);
            Assert.That(hook.Received, Is.EqualTo(2), "one POST from the killed holder, one from the survivor");
            Assert.That(Runs(db), Has.Count.EqualTo(1));
            Assert.That(Directory.GetFiles(reports, "report-*.json"), Has.Length.EqualTo(1));
            Assert.That(survivor.Exited, Is.False, Output);
            TestContext.Out.WriteLine($"takeover: {takeover.TotalSeconds:F1} s from SIGKILL to the survivor's POST");
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    private sealed record Run(string Period, string Status, string Instance);

    private static NpgsqlConnection Open(string db)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(StoreTarget.Parse(db).Location) { Pooling = false };
        var c = new NpgsqlConnection(unpooled.ConnectionString);
        c.Open();
        return c;
    }

    private static List<Run> Runs(string db)
    {
        using var c = Open(db);
        using var cmd = new NpgsqlCommand("SELECT period, status, instance_id FROM report_runs ORDER BY period", c);
        using var r = cmd.ExecuteReader();
        var runs = new List<Run>();
        while (r.Read()) runs.Add(new Run(r.GetString(0), r.GetString(1), r.GetString(2)));
        return runs;
    }

    /// <summary>The cron trigger's last fire time as Quartz records it (ms since the epoch).</summary>
    private static long LastFire(string db)
    {
        using var c = Open(db);
        using var cmd = new NpgsqlCommand(
            "SELECT coalesce(max(prev_fire_time), 0) FROM qrtz_triggers WHERE trigger_name = 'weekly-report-cron'", c);
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The pid in an AUTO instance id: host-pid-start.</summary>
    private static int PidOf(string instance)
    {
        var parts = instance.Split('-');
        return int.Parse(parts[^2], CultureInfo.InvariantCulture);
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe, Func<string> output) where T : class
    {
        var guard = Stopwatch.StartNew();
        while (guard.Elapsed < HangGuard)
        {
            try
            {
                if (probe() is { } value) return value;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // not created yet
            }
            await Task.Delay(200);
        }
        Assert.Fail("hang guard: the cluster never got there\n" + output());
        throw new UnreachableException();
    }

    /// <summary>The webhook endpoint: queues each POST unanswered, for the test to answer or abandon.</summary>
    private sealed class HookReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Channel<HttpListenerContext> _requests = Channel.CreateUnbounded<HttpListenerContext>();
        private int _received;

        public HookReceiver()
        {
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}/hook/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public string Url { get; }

        public int Received => Volatile.Read(ref _received);

        public async Task<HttpListenerContext> NextAsync(TimeSpan guard, Func<string> output)
        {
            using var cts = new CancellationTokenSource(guard);
            try
            {
                return await _requests.Reader.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("hang guard: no webhook POST arrived\n" + output());
                throw;
            }
        }

        private async Task AcceptAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException) { return; }
                // Read the body so the sender is left waiting for the answer, not for the upload.
                using (var sink = new MemoryStream()) await context.Request.InputStream.CopyToAsync(sink);
                Interlocked.Increment(ref _received);
                await _requests.Writer.WriteAsync(context);
            }
        }

        private static int FreePort()
        {
            using var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            return ((IPEndPoint)l.LocalEndpoint).Port;
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
        }
    }
}
