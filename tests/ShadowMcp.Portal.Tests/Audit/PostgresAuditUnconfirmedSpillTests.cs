using ShadowMcp.Core;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;
using ShadowMcp.Tests;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// Review, on a real PostgreSQL: the portal's connection to the store is cut at a batch's commit (a relay on the path,
/// <see cref="PostgresCutProxy"/>), and the store stays unreachable until the portal stops, so the batch is spilled
/// without the log knowing its fate. Cut after the server committed (the answer lost), `audit import` must not add
/// the batch again; cut before, it must add it. Either way the chain holds each row once and verifies.
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
public sealed class PostgresAuditUnconfirmedSpillTests
{
    private static readonly byte[] Key = [.. Enumerable.Repeat((byte)4, 32)];

    [Test]
    public async Task CommittedButItsAnswerLost_ThenStoreDownUntilShutdown_ImportSkipsTheBatch_EachRowOnce()
    {
        var (store, url, file, keyFile) = await SpillAfterACutAsync("auditcutafter", PostgresCutProxy.Cut.AfterCommit);
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "user1", "user2", "user3" }), "the cut batch is in the chain");

        var (code, output, err) = AuditSpill.Cli("audit", "import", file, "--db", url, "--key-file", keyFile);

        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "user1", "user2", "user3", "user4", Environment.UserName }),
            "each row once, then the import's summary");
        Assert.That(output, Does.Contain("imported 1 row(s)").And.Contain("skipped 3 row(s) already in the chain (rows 2..4)"));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    [Test]
    public async Task CutBeforeTheCommitReachedTheServer_ThenStoreDownUntilShutdown_ImportAddsTheBatch()
    {
        var (store, url, file, keyFile) = await SpillAfterACutAsync("auditcutbefore", PostgresCutProxy.Cut.BeforeCommit);
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0" }), "the server rolled the cut batch back");

        var (code, output, err) = AuditSpill.Cli("audit", "import", file, "--db", url, "--key-file", keyFile);

        Assert.That(code, Is.EqualTo((int)ExitCode.Success), err);
        Assert.That(output, Does.Contain("imported 4 row(s)").And.Not.Contain("skipped"));
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "user1", "user2", "user3", "user4", Environment.UserName }));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    // user0's batch waits at the replicas' lock (held by the test) while user1..3 queue behind it, so they make one
    // batch: the one whose commit the relay cuts. The relay then refuses connections until the log has closed; user4,
    // queued meanwhile, is spilled after them.
    private static async Task<(PortalStore Store, string Url, string File, string KeyFile)> SpillAfterACutAsync(string name, PostgresCutProxy.Cut cut)
    {
        var url = LocalPostgres.CreateDatabase(name);
        var store = new PortalStore(url);
        var file = Path.Combine(TempDir.Create(), AuditLog.FallbackFileName);
        await using (var relay = PostgresCutProxy.Start(store))
        {
            var log = new AuditLog(relay.Store, TimeProvider.System, Key, "a", fallbackFile: file);
            var hold = await AuditWriterHold.TakeAsync(store);
            var first = log.AppendAsync(AuditRows.Record("user0"));
            await AuditWriterHold.WaitForBlockedWriterAsync(store);
            var cutRows = Enumerable.Range(1, 3).Select(i => log.AppendAsync(AuditRows.Record($"user{i}", i))).ToList();
            Assert.That(log.Queued, Is.EqualTo(3), "queued behind user0's batch: one batch of three");
            relay.Arm(cut, letThrough: 1);
            await AuditWriterHold.ReleaseAsync(hold);
            Assert.That(await first, Is.EqualTo(1));
            await relay.CutDone;
            await AuditOutage.WaitUntilFailingAsync(log);
            cutRows.Add(log.AppendAsync(AuditRows.Record("user4", 4)));
            await log.DisposeAsync();
            foreach (var row in cutRows) Assert.That(async () => await row, Throws.InstanceOf<AuditUnavailableException>());
        }
        var spilled = File.ReadAllLines(file).Select(l => AuditSpillFile.Parse(System.Text.Encoding.UTF8.GetBytes(l)));
        Assert.That(spilled.Select(l => l.Unconfirmed?.Seq), Is.EqualTo(new long?[] { 2, 3, 4, null }));
        var keyFile = Path.Combine(TempDir.Create(), "audit.key");
        File.WriteAllText(keyFile, Convert.ToHexStringLower(Key));
        return (store, url, file, keyFile);
    }
}
