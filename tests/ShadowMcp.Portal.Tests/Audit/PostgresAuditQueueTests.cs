using Microsoft.Extensions.Time.Testing;
using Npgsql;
using ShadowMcp.Core.Store;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Store;
using ShadowMcp.Tests;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// The audit queue's bound on a real PostgreSQL store, with the writer held by a real lock: this test takes the
/// replicas' writer lock (<see cref="AuditWriterLock"/>) in its own transaction, as another replica in the middle of a
/// batch would, so the log's writer blocks until the test commits.
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
public sealed class PostgresAuditQueueTests
{
    private static readonly byte[] Key = [.. Enumerable.Repeat((byte)9, 32)];
    private string _db = null!;

    [SetUp]
    public void SetUp() => _db = LocalPostgres.CreateDatabase(TestContext.CurrentContext.Test.MethodName ?? "auditqueue");

    [Test]
    public async Task FullQueue_AppendsWaitForTheWriter_ThenAllAreWrittenInOrder()
    {
        var store = new PortalStore(_db);
        await using var holder = await HoldWriterLockAsync();
        await using var log = new AuditLog(store, TimeProvider.System, Key, null, queueLimit: 3);
        var first = log.AppendAsync(AuditRows.Record("user0"));
        await WaitForBlockedWriterAsync();

        // The writer holds user0 (its room is held until it is committed); two more fit, the rest wait for room.
        var queued = new[] { "user1", "user2" }.Select(u => log.EnqueueAsync(AuditRows.Record(u))).ToList();
        Assert.That(queued.All(q => q.IsCompletedSuccessfully), Is.True);
        Assert.That(log.Queued, Is.EqualTo(2));
        var waiting = Enumerable.Range(3, 3).Select(i => log.EnqueueAsync(AuditRows.Record($"user{i}"))).ToList();
        Assert.That(waiting.Select(w => w.IsCompleted), Is.All.False);
        Assert.That(first.IsCompleted, Is.False);

        await holder.CommitAsync();
        await Task.WhenAll(waiting);
        Assert.That(await first, Is.EqualTo(1));
        await log.FlushAsync();

        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(Enumerable.Range(0, 6).Select(i => $"user{i}")));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    [Test]
    public async Task FullQueue_CancelledCallersAndSummaries_NeverHoldRowsBeyondTheLimit()
    {
        var store = new PortalStore(_db);
        await using var holder = await HoldWriterLockAsync();
        var waits = new List<bool>();
        var counted = new AuditQueueWaits(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeProvider.System,
            (_, abandoned) => { lock (waits) waits.Add(abandoned); });
        await using var log = new AuditLog(store, TimeProvider.System, Key, null, queueLimit: 2, counted);
        _ = log.AppendAsync(AuditRows.Record("user0"));
        await WaitForBlockedWriterAsync();
        await log.EnqueueAsync(AuditRows.Record("user1"));

        // Full: a summary is refused (its writer keeps the count), a new call waits at the door and, cancelled there,
        // never runs; the row of a call that already ran waits for room however its caller fares.
        Assert.That(log.TryEnqueue(AuditRows.Record("summary")), Is.False);
        using var caller = new CancellationTokenSource();
        var door = log.AdmitAsync(caller.Token).AsTask();
        var ran = log.EnqueueAsync(AuditRows.Record("user2"));
        Assert.That(door.IsCompleted, Is.False);
        await caller.CancelAsync();
        Assert.That(async () => await door, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(ran.IsCompleted, Is.False);
        Assert.That(log.Queued, Is.EqualTo(1), "user0 in the writer, user1 queued: the limit of 2");

        await holder.CommitAsync();
        await ran;
        await log.FlushAsync();
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(new[] { "user0", "user1", "user2", "portal" }));
        using (var db = store.Open())
            Assert.That(db.Audit.OrderBy(r => r.Seq).Last().Decision, Is.EqualTo("1 call(s) " + AuditTurnedAway.CancelledWaiting));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
        lock (waits) Assert.That(waits, Is.EquivalentTo(new[] { true, false }));
    }

    [Test]
    public async Task FullQueue_LogDisposedWhileAppendsWait_WritesThemAllBeforeClosing()
    {
        var store = new PortalStore(_db);
        var holder = await HoldWriterLockAsync();
        var log = new AuditLog(store, TimeProvider.System, Key, null, queueLimit: 1);
        await log.EnqueueAsync(AuditRows.Record("user0"));
        await WaitForBlockedWriterAsync();
        var waiting = Enumerable.Range(1, 4).Select(i => log.EnqueueAsync(AuditRows.Record($"user{i}"))).ToList();
        var closing = log.DisposeAsync().AsTask();
        Assert.That(closing.IsCompleted, Is.False);

        await holder.CommitAsync();
        await holder.DisposeAsync();
        await closing;
        await Task.WhenAll(waiting);
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(Enumerable.Range(0, 5).Select(i => $"user{i}")));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    [Test]
    public async Task AppendAllAtOnce_OnPostgres_WritesTheSameChainAsOneByOne()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var oneByOne = new PortalStore(_db);
        await using (var log = new AuditLog(oneByOne, time, Key, "a"))
            for (var i = 0; i < 300; i++) await log.AppendAsync(AuditRows.Record($"user{i}", i));

        // The writer is held while the rows queue, so all but the first go in batches of many.
        var batched = new PortalStore(LocalPostgres.CreateDatabase("auditbatched"));
        var holder = await HoldWriterLockAsync(batched);
        await using (var log = new AuditLog(batched, time, Key, "a"))
        {
            var appends = Enumerable.Range(0, 300).Select(i => log.AppendAsync(AuditRows.Record($"user{i}", i))).ToList();
            await WaitForBlockedWriterAsync(batched);
            await holder.CommitAsync();
            await holder.DisposeAsync();
            await Task.WhenAll(appends);
        }

        Assert.That(AuditVerifier.Verify(batched, AuditRows.KeysWith(Key), null), Is.Empty);
        Assert.That(AuditRows.Content(batched), Is.EqualTo(AuditRows.Content(oneByOne)));
    }

    private Task<NpgsqlTransaction> HoldWriterLockAsync() => AuditWriterHold.TakeAsync(new PortalStore(_db));

    private static Task<NpgsqlTransaction> HoldWriterLockAsync(PortalStore store) => AuditWriterHold.TakeAsync(store);

    private Task WaitForBlockedWriterAsync() => AuditWriterHold.WaitForBlockedWriterAsync(new PortalStore(_db));

    private static Task WaitForBlockedWriterAsync(PortalStore store) => AuditWriterHold.WaitForBlockedWriterAsync(store);
}
