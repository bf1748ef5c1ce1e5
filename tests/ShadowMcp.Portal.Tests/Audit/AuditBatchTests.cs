using Microsoft.Extensions.Time.Testing;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// Rows appended all at once (committed in batches) against the same rows appended one by one (a commit each), on
/// SQLite: the same chain, row for row. PostgreSQL's batch write: <see cref="PostgresAuditQueueTests"/>.
/// </summary>
public sealed class AuditBatchTests
{
    private static readonly byte[] Key = [.. Enumerable.Repeat((byte)7, 32)];

    [Test]
    public async Task AppendAllAtOnce_OnSqlite_WritesTheSameChainAsOneByOne()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var oneByOne = new PortalStore(Path.Combine(TempDir.Create(), "one.db"));
        await using (var log = new AuditLog(oneByOne, time, Key, null))
            for (var i = 0; i < 300; i++) await log.AppendAsync(AuditRows.Record($"user{i}", i));

        var batched = new PortalStore(Path.Combine(TempDir.Create(), "batched.db"));
        await using (var log = new AuditLog(batched, time, Key, null))
            await Task.WhenAll(Enumerable.Range(0, 300).Select(i => log.AppendAsync(AuditRows.Record($"user{i}", i))));

        Assert.That(AuditVerifier.Verify(batched, AuditRows.KeysWith(Key), null), Is.Empty);
        Assert.That(AuditRows.Content(batched), Is.EqualTo(AuditRows.Content(oneByOne)));
    }

    [Test]
    public async Task EnqueueAsync_WithRoom_QueuesAtOnceAndTheRowIsWritten()
    {
        var store = new PortalStore(Path.Combine(TempDir.Create(), "audit.db"));
        await using (var log = new AuditLog(store, TimeProvider.System, Key, null, queueLimit: 4))
        {
            for (var i = 0; i < 20; i++) await log.EnqueueAsync(AuditRows.Record($"user{i}", i));
            await log.FlushAsync();
        }
        Assert.That(AuditRows.UsersInSeqOrder(store), Is.EqualTo(Enumerable.Range(0, 20).Select(i => $"user{i}")));
        Assert.That(AuditVerifier.Verify(store, AuditRows.KeysWith(Key), null), Is.Empty);
    }

    [Test]
    public void New_QueueLimitOfZero_IsRefused()
    {
        var store = new PortalStore(Path.Combine(TempDir.Create(), "audit.db"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new AuditLog(store, TimeProvider.System, Key, null, queueLimit: 0));
    }
}
