using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Sharding;

namespace ShadowMcp.Scanner.Tests.Sharding;

public class PacketBatchPoolTests
{
    [Test]
    public void Rent_AfterReturn_ReusesTheSameBatchesEmptied()
    {
        using var pool = new PacketBatchPool(PacketBatchPool.SizeFor(2), shards: 2);
        Assert.That(pool.Size, Is.EqualTo(6));
        var first = Enumerable.Range(0, pool.Size).Select(_ => pool.Rent(CancellationToken.None)).ToList();
        first[0].TryAdd([1, 2, 3], 1, DateTime.UnixEpoch, owner: 1, default, new InvalidOperationException());
        first[0].Final = true;
        first[0].Mark = "flush";
        first[0].StatsAt[1] = new ScanStats();
        first[0].Outputs[1].Add(new ShardEvent(new EmissionKey(0, EmissionPhase.Packet, 0), "x", null));
        foreach (var batch in first) pool.Return(batch);

        var second = Enumerable.Range(0, pool.Size).Select(_ => pool.Rent(CancellationToken.None)).ToList();

        Assert.That(second, Is.EquivalentTo(first).Using<PacketBatch>(ReferenceEquals));
        Assert.That(second.Select(b => (b.Count, b.Used, b.Final, b.Outputs.Sum(o => o.Count), b.Mark, b.StatsAt.Count(s => s is not null))),
            Has.All.EqualTo((0, 0, false, 0, (object?)null, 0)));
        Assert.That(second.Select(b => b.DecodeFaults[0]), Has.All.Null, "a decode fault of the last use");
    }

    [Test]
    public void Rent_AllRented_WaitsUntilCanceled()
    {
        using var pool = new PacketBatchPool(1, shards: 1);
        pool.Rent(CancellationToken.None);
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();

        Assert.Throws<OperationCanceledException>(() => pool.Rent(canceled.Token));
        Assert.That(pool.Available, Is.Zero);
    }

    [Test]
    public void TryAdd_CopiesTheFrame_AndStopsAtThePacketLimit()
    {
        var batch = new PacketBatch(shards: 1);
        var frame = new byte[] { 9, 8, 7 };
        Assert.That(batch.TryAdd(frame, 1, DateTime.UnixEpoch, 0, default), Is.True);
        frame[0] = 0;
        Assert.That(batch.Frame(0).ToArray(), Is.EqualTo(new byte[] { 9, 8, 7 }));

        while (!batch.IsFull) batch.TryAdd(frame, 1, DateTime.UnixEpoch, 0, default);
        Assert.That(batch.TryAdd(frame, 1, DateTime.UnixEpoch, 0, default), Is.False);
        Assert.That(batch.Count, Is.EqualTo(PacketBatch.MaxPackets));
    }

    [Test]
    public void TryAdd_FrameLargerThanTheBuffer_FitsAloneAndOtherwiseWaitsForTheNextBatch()
    {
        var batch = new PacketBatch(shards: 1);
        var huge = new byte[3 << 20];
        huge[^1] = 42;
        Assert.That(batch.TryAdd(new byte[10], 1, DateTime.UnixEpoch, 0, default), Is.True);
        Assert.That(batch.TryAdd(huge, 1, DateTime.UnixEpoch, 0, default), Is.False);

        batch.Reset();
        Assert.That(batch.TryAdd(huge, 1, DateTime.UnixEpoch, 0, default), Is.True);
        Assert.That(batch.Frame(0)[^1], Is.EqualTo(42));
    }
}
