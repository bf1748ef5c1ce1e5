using Microsoft.EntityFrameworkCore;
using Npgsql;
using ShadowMcp.Core.Store;
using ShadowMcp.Enforcer.Backends;
using ShadowMcp.Enforcer.Engine;
using ShadowMcp.Enforcer.Store;
using ShadowMcp.Enforcer.Tests.Support;
using ShadowMcp.Tests;

namespace ShadowMcp.Enforcer.Tests.Store;

/// <summary>
/// The enforcer's tables on a real PostgreSQL server: the same run leaves the same state as on SQLite, several
/// processes may open a new store at once, one enforce run holds a store at a time, and a store that cannot be
/// opened is named without its password.
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
public sealed class PostgresEnforcerStoreTests
{
    private const string Policy = """
        ttl: 1h
        backends:
          - type: hosts
            path: $DIR/hosts
          - type: dnsmasq
            path: $DIR/dnsmasq.conf
        """;

    [Test]
    public async Task ApplyRollbackExpire_OnPostgres_LeavesTheSameStateAsOnSqlite()
    {
        var onSqlite = await RunScenario(StoreKind.Sqlite);
        var onPostgres = await RunScenario(StoreKind.Postgres);

        Assert.That(onPostgres, Is.EqualTo(onSqlite));
        Assert.That(onSqlite, Does.Contain("ttl host:b.example"), "the scenario wrote TTL rows");
        Assert.That(onSqlite, Does.Contain("action expire ttl ok"), "the scenario expired an entry");
    }

    /// <summary>
    /// Two applies, a rollback of the second, an expiry after the TTL, a re-apply; then every row the store keeps
    /// (ids, times, results, state blobs), one line each, as a reopened store reads it.
    /// </summary>
    private static async Task<string> RunScenario(StoreKind kind)
    {
        using var h = new Harness(Policy, kind);
        File.WriteAllText(h.PathIn("hosts"), "127.0.0.1 localhost\n");
        var a = TestFindings.Shadow(null, null, "a.example");
        var b = TestFindings.Shadow("203.0.113.5", 3000, "b.example");
        await h.Engine.ApplyAsync([a], [], CancellationToken.None);
        h.Time.Now += TimeSpan.FromMinutes(10);
        var second = await h.Engine.ApplyAsync([a, b], [], CancellationToken.None);
        h.Time.Now += TimeSpan.FromMinutes(10);
        await h.Engine.RollbackAsync(second.Actions.Min(x => x.Id), CancellationToken.None);
        h.Time.Now += TimeSpan.FromMinutes(10);
        await h.Engine.ApplyAsync([a, b], [], CancellationToken.None);
        h.Time.Now += TimeSpan.FromMinutes(55);
        var expired = await h.Engine.ExpireAsync([a, b], [], CancellationToken.None);
        Assert.That(expired.Failed, Is.False);
        h.Store.AddDeadLetter(new DeadLetterRow
        {
            At = h.Time.Now.UtcDateTime, Url = "http://127.0.0.1:9/hook", EventJson = "{}", Attempts = 3,
            LastError = "HTTP 503",
        });

        using var reopened = EnforcerStore.Open(h.Target);
        var lines = new List<string>();
        lines.AddRange(reopened.LoadActions().Select(x =>
            $"action {x.Command} {x.Backend} {x.Result} {x.Id} {x.RunId.Length > 0} {x.At:O} {x.Actor} {x.Error} "
            + $"{x.AddedJson} {x.RemovedJson} {x.BeforeJson} {x.AfterJson} {x.IntentJson} {x.StateKnown} "
            + $"{x.RollsBackTo}"));
        lines.AddRange(reopened.Context.BackendStates.OrderBy(s => s.Backend).AsEnumerable()
            .Select(s => $"state {s.Backend} {s.DesiredJson} {s.AppliedJson} {s.UpdatedAt:O}"));
        lines.AddRange(reopened.Context.TtlEntries.OrderBy(t => t.EntryKey).AsEnumerable()
            .Select(t => $"ttl {t.EntryKey} {t.BlockedAt:O} {t.ExpiresAt:O} {t.ExpiredAt:O}"));
        lines.AddRange(reopened.LoadDeadLetters()
            .Select(d => $"dead {d.Id} {d.At:O} {d.Url} {d.Attempts} {d.LastError}"));
        lines.Add("hosts " + File.ReadAllText(h.PathIn("hosts")));
        // Times read back from SQLite carry no kind; the instants are what must match.
        return string.Join("\n", lines)
            .Replace("Z ", " ", StringComparison.Ordinal).Replace("Z\n", "\n", StringComparison.Ordinal);
    }

    [Test]
    public void Open_ManyAtOnceOnAFreshDatabase_AllSucceedAndTheTablesExistOnce()
    {
        var url = LocalPostgres.CreateDatabase("enforceropen");
        const int openers = 4;
        using var start = new Barrier(openers);
        var opened = Enumerable.Range(0, openers).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            using var store = EnforcerStore.Open(url);
            return store.LoadActions().Count;
        })).ToArray();

        Assert.That(Task.WhenAll(opened).GetAwaiter().GetResult(), Is.All.Zero);
        int migrations;
        using (var store = EnforcerStore.Open(url)) migrations = store.Context.Database.GetMigrations().Count();
        using var conn = new NpgsqlConnection(StoreTarget.Parse(url).Location);
        conn.Open();
        const string tables = "SELECT count(*) FROM information_schema.tables WHERE table_name = 'enforcer_ttl'";
        Assert.That(Scalar(conn, tables), Is.EqualTo(1L));
        Assert.That(Scalar(conn, "SELECT count(*) FROM \"__EnforcerMigrationsHistory\""), Is.EqualTo((long)migrations),
            "each migration applied once");
    }

    [Test]
    public void AddTtlEntries_ThirtyThousandOnPostgres_AllStoredWithTheirTimes()
    {
        using var h = new Harness("backends: []", StoreKind.Postgres);
        var blocked = h.Time.Now.UtcDateTime;
        var keys = Enumerable.Range(0, 30_000).Select(i => $"host:s{i}.rogue.example").ToList();

        h.Store.AddTtlEntries(keys, blocked, blocked.AddHours(1));
        h.Store.AddTtlEntries(["host:forever.example"], blocked, null);

        Assert.That(h.Store.Context.TtlEntries.Count(), Is.EqualTo(30_001));
        var one = h.Store.Context.TtlEntries.Single(t => t.EntryKey == "host:s29999.rogue.example");
        Assert.That((one.BlockedAt, one.ExpiresAt, one.ExpiredAt),
            Is.EqualTo((blocked, blocked.AddHours(1), (DateTime?)null)));
        Assert.That(h.Store.Context.TtlEntries.Single(t => t.EntryKey == "host:forever.example").ExpiresAt, Is.Null);
    }

    [Test]
    public void RunLock_OnPostgres_OneRunAtATimeAndFreeAgainAfterIt()
    {
        var url = LocalPostgres.CreateDatabase("enforcerlock");
        var password = PasswordOf(url);

        var first = RunLock.Take(url);
        var ex = Assert.Throws<BackendException>(() => RunLock.Take(url));
        Assert.That(ex!.Message, Does.Contain("another `enforce` run").And.Contain(StoreTarget.Parse(url).Display));
        Assert.That(ex.Message, Does.Not.Contain(password));

        first.Dispose();
        using var next = RunLock.Take(url);
        Assert.That(next, Is.Not.Null);
    }

    [Test]
    public void Open_WrongPassword_NamesTheStoreAndTheServersAnswerNotThePassword()
    {
        var url = LocalPostgres.CreateDatabase("enforcerbad");
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        var right = ":" + Uri.EscapeDataString(PasswordOf(url)) + "@";
        var bad = url.Replace(right, ":" + wrong + "@", StringComparison.Ordinal);

        var ex = Assert.Throws<StoreException>(() => EnforcerStore.Open(bad));

        Assert.That(ex!.Message, Does.StartWith(StoreTarget.Parse(bad).Display + ": cannot open the enforcer tables"));
        Assert.That(ex.Message, Does.Contain("28P01"), "the server's answer: authentication failed");
        Assert.That(ex.Message, Does.Not.Contain(wrong));
    }

    [Test]
    public async Task EnforceCli_UnreachableServer_ExitsWithStoreErrorNamingTheServerNotThePassword()
    {
        var port = FreePort();
        var url = $"postgres://shadowmcp:s3cret-pw@127.0.0.1:{port}/enforcer";
        using var h = new Harness("backends: []");
        var policy = h.PathIn("policy.yaml");
        File.WriteAllText(policy, "backends: []\n");
        var root = new System.CommandLine.RootCommand { ShadowMcp.Enforcer.Cli.EnforceCommands.Create(h.Time) };
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await root.Parse(["enforce", "plan", "--policy", policy, "--db", url])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });

        Assert.That(code, Is.EqualTo((int)ShadowMcp.Core.ExitCode.StoreError));
        Assert.That(error.ToString(), Does.Contain($"postgres://shadowmcp:***@127.0.0.1:{port}/enforcer")
            .And.Contain($"cannot reach the PostgreSQL server at 127.0.0.1:{port}"));
        Assert.That(error.ToString() + output, Does.Not.Contain("s3cret-pw"));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static long Scalar(NpgsqlConnection conn, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string PasswordOf(string url) => Uri.UnescapeDataString(new Uri(url).UserInfo.Split(':')[1]);
}
