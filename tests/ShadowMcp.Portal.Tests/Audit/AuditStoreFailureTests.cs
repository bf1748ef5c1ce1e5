using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// A SQLite audit store that refuses writes (a trigger aborts every insert, as a constraint would): the batch is
/// kept and retried in order, new calls are refused while it fails, and once it takes rows again every row is there
/// and the chain verifies. Closed while it still fails, the rows go to the fallback file, in order. PostgreSQL's
/// outage: <see cref="PostgresAuditOutageTests"/>.
/// </summary>
public sealed class AuditStoreFailureTests
{
    private static readonly byte[] Key = [.. Enumerable.Repeat((byte)5, 32)];
    private const string Refuse = AuditSpill.Refuse;

    [Test]
    public async Task BatchRefused_IsRetriedInOrderAndCallsAreRefusedMeanwhile_ThenNothingIsLost()
    {
        var store = new PortalStore(Path.Combine(TempDir.Create(), "audit.db"));
        await using (var log = new AuditLog(store, TimeProvider.System, Key, null))
        {
            await log.AppendAsync(AuditRows.Record("user0"));
            AuditSpill.Exec(store, Refuse);
            var kept = Enumerable.Range(1, 3).Select(i => log.AppendAsync(AuditRows.Record($"user{i}"))).ToList();
            await AuditOutage.WaitUntilFailingAsync(log);
            Assert.That(async () => await log.AdmitAsync(default), Throws.InstanceOf<AuditUnavailableException>());
            Assert.That(kept.Select(k => k.IsCompleted), Is.All.False, "rows of a refused batch are kept, not failed");

            AuditSpill.Exec(store, "DROP TRIGGER refuse;");
            Assert.That(await Task.WhenAll(kept), Is.EqualTo(new long[] { 2, 3, 4 }));
            Assert.That(log.StoreFailing, Is.False);
            await log.AdmitAsync(default);
            await log.FlushAsync();
        }
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "user1", "user2", "user3", "portal" }));
        using (var db = store.Open())
            Assert.That(db.Audit.OrderBy(r => r.Seq).Last().Decision, Is.EqualTo("1 call(s) " + AuditTurnedAway.StoreDown));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    [Test]
    public async Task ClosedWhileTheStoreFails_WritesTheRowsToTheFallbackFileInOrder()
    {
        var dir = TempDir.Create();
        var store = new PortalStore(Path.Combine(dir, "audit.db"));
        var log = new AuditLog(store, TimeProvider.System, Key, "r1");
        await log.AppendAsync(AuditRows.Record("user0"));
        AuditSpill.Exec(store, Refuse);
        var handedInFrom = DateTimeOffset.UtcNow;
        var kept = Enumerable.Range(1, 3).Select(i => log.AppendAsync(AuditRows.Record($"user{i}"))).ToList();
        var handedInTo = DateTimeOffset.UtcNow;
        await AuditOutage.WaitUntilFailingAsync(log);
        await log.DisposeAsync();

        foreach (var k in kept) Assert.That(async () => await k, Throws.InstanceOf<AuditUnavailableException>());
        var lines = File.ReadAllLines(Path.Combine(dir, AuditLog.FallbackFileName));
        var users = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("record").GetProperty("User").GetString());
        Assert.That(users, Is.EqualTo(new[] { "user1", "user2", "user3" }));
        // Each line keeps the time its call handed the row in, not the time the closing log gave up on the store
        // (after its retries, which wait on the clock).
        var times = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("time").GetDateTimeOffset());
        Assert.That(times, Is.All.InRange(handedInFrom.AddTicks(-handedInFrom.Ticks % TimeSpan.TicksPerMillisecond), handedInTo));
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0" }));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }
}
