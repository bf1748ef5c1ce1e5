using System.Data.Common;
using ShadowMcp.Core;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// Review: a batch whose commit went in but whose answer was lost, and then a store that fails until the portal stops.
/// The log cannot know whether the batch is in the chain, so it spills it with the rest; `audit import` then must add
/// it only if it is not there, or the chain holds those rows twice (someone who can cut the store's connection at the
/// right moment doubles the audit trail). The opposite cut, before the commit reached the store, must still import
/// them. On SQLite, whose commit runs in-process, the cut is made at the log's commit (<see cref="AuditLog.CommitForTests"/>);
/// on PostgreSQL a real connection is cut: <see cref="PostgresAuditUnconfirmedSpillTests"/>.
/// </summary>
public sealed class AuditUnconfirmedSpillTests
{
    private static readonly byte[] Key = [.. Enumerable.Repeat((byte)6, 32)];
    // The store broken for every later attempt before it can read the chain's end: the head table is gone.
    private const string HeadAway = "ALTER TABLE portal_audit_head RENAME TO portal_audit_head_away;";
    private const string HeadBack = "ALTER TABLE portal_audit_head_away RENAME TO portal_audit_head;";

    [Test]
    public async Task CommittedButItsAnswerLost_ThenStoreDownUntilShutdown_ImportSkipsTheBatch_EachRowOnce()
    {
        var (store, db) = NewStore();
        await SpillAfterACutAsync(store, async tx =>
        {
            await tx.CommitAsync();
            AuditSpill.Exec(store, HeadAway);
            throw new IOException("connection cut: the commit went in, its answer was lost");
        });
        AuditSpill.Exec(store, HeadBack);
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "user1", "user2", "user3" }), "the cut batch is in the chain");
        var lines = SpilledLines(store);
        Assert.That(lines.Select(l => l.Unconfirmed?.Seq), Is.EqualTo(new long?[] { 2, 3, 4, null }),
            "the cut batch's lines say where it would be; user4, never sent, is a line as before");
        using (var ctx = store.Open())
            Assert.That(lines.Take(3).Select(l => (l.Unconfirmed!.HeadSeq, l.Unconfirmed.Head)), Is.All.EqualTo((4L, ctx.Audit.Single(r => r.Seq == 4).Hash)));

        var (code, output, err) = AuditSpill.Cli("audit", "import", "--db", db);

        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "user1", "user2", "user3", "user4", Environment.UserName }),
            "each row once, then the import's summary");
        Assert.That(output, Does.Contain("imported 1 row(s)").And.Contain("as rows 5..5; summary row 6")
            .And.Contain("skipped 3 row(s) already in the chain (rows 2..4)"));
        using (var ctx = store.Open())
            Assert.That(ctx.Audit.Single(r => r.Seq == 6).Decision,
                Does.StartWith("1 row(s) imported").And.Contain("; 3 row(s) skipped as already in the chain (rows 2..4)"));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    [Test]
    public async Task CommittedButItsAnswerLost_NothingElseSpilled_ImportAddsOnlyItsSummary_OnceOnly()
    {
        var (store, db) = NewStore();
        await SpillAfterACutAsync(store, async tx =>
        {
            await tx.CommitAsync();
            AuditSpill.Exec(store, HeadAway);
            throw new IOException("connection cut: the commit went in, its answer was lost");
        }, queueAfterTheCut: false);
        AuditSpill.Exec(store, HeadBack);

        var (code, output, err) = AuditSpill.Cli("audit", "import", "--db", db);
        var renamed = Directory.GetFiles(store.KeyDirectory, "portal-audit-unwritten.imported-*.jsonl").Single();
        var again = AuditSpill.Cli("audit", "import", renamed, "--db", db);

        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        Assert.That(output, Does.Contain("imported 0 row(s)").And.Contain("summary row 5")
            .And.Contain("skipped 3 row(s) already in the chain (rows 2..4)").And.Contain($"renamed it to {renamed}"));
        Assert.That(again.Out, Does.Contain("was imported before (summary row 5); nothing added"));
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "user1", "user2", "user3", Environment.UserName }));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    [Test]
    public async Task CutBeforeTheCommitReachedTheStore_ThenStoreDownUntilShutdown_ImportAddsTheBatch()
    {
        var (store, db) = NewStore();
        await SpillAfterACutAsync(store, async tx =>
        {
            await tx.RollbackAsync();
            AuditSpill.Exec(store, HeadAway);
            throw new IOException("connection cut: the commit never reached the store");
        });
        AuditSpill.Exec(store, HeadBack);
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0" }));
        Assert.That(SpilledLines(store).Select(l => l.Unconfirmed?.Seq), Is.EqualTo(new long?[] { 2, 3, 4, null }));

        var (code, output, err) = AuditSpill.Cli("audit", "import", "--db", db);

        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        Assert.That(output, Does.Contain("imported 4 row(s)").And.Contain("as rows 2..5; summary row 6").And.Not.Contain("skipped"));
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "user1", "user2", "user3", "user4", Environment.UserName }));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    private static (PortalStore Store, string Db) NewStore()
    {
        var db = Path.Combine(TempDir.Create(), "audit.db");
        var store = new PortalStore(db);
        AuditSpill.KeyBeside(store, Key);
        return (store, db);
    }

    private static List<SpilledRow> SpilledLines(PortalStore store) =>
    [
        .. File.ReadAllLines(Path.Combine(store.KeyDirectory, AuditLog.FallbackFileName))
            .Select(l => AuditSpillFile.Parse(System.Text.Encoding.UTF8.GetBytes(l))),
    ];

    // user0 commits; user1..3 queue behind it (its commit held) to make one batch, whose commit is cut; the store then
    // fails until the log closes, so that batch is spilled with its fate unknown to the log, and user4 after it if asked.
    private static async Task SpillAfterACutAsync(PortalStore store, Func<DbTransaction, Task> cut, bool queueAfterTheCut = true)
    {
        var log = new AuditLog(store, TimeProvider.System, Key, "r1");
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commits = 0;
        log.CommitForTests = async tx =>
        {
            switch (++commits)
            {
                case 1:
                    held.SetResult();
                    await go.Task;
                    await tx.CommitAsync();
                    break;
                case 2:
                    await cut(tx);
                    break;
                default:
                    throw new InvalidOperationException("the store is down after the cut: no commit reaches it");
            }
        };
        var first = log.AppendAsync(AuditRows.Record("user0"));
        await held.Task;
        var cutRows = Enumerable.Range(1, 3).Select(i => log.AppendAsync(AuditRows.Record($"user{i}", i))).ToList();
        Assert.That(log.Queued, Is.EqualTo(3), "queued behind user0's batch: one batch of three");
        go.SetResult();
        Assert.That(await first, Is.EqualTo(1));
        await AuditOutage.WaitUntilFailingAsync(log);
        if (queueAfterTheCut) cutRows.Add(log.AppendAsync(AuditRows.Record("user4", 4)));
        await log.DisposeAsync();
        foreach (var row in cutRows) Assert.That(async () => await row, Throws.InstanceOf<AuditUnavailableException>());
    }
}
