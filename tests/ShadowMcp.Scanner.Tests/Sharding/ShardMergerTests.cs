using ShadowMcp.Scanner.Sharding;

namespace ShadowMcp.Scanner.Tests.Sharding;

public class ShardMergerTests
{
    private static ShardEvent At(long packet, EmissionPhase phase, long flow, string name) =>
        new(new EmissionKey(packet, phase, flow), name, null);

    [Test]
    public void Merge_ShardsInterleaved_ReplaysInOneThreadOrder()
    {
        var batch = new PacketBatch(shards: 3);
        // Packet 5: its idle sweep closes shard 1's flow (last packet 1) before shard 0's (last packet 3), then
        // the packet's own flow (shard 2) emits twice, then a memory eviction on shard 2.
        batch.Outputs[0].AddRange([At(4, EmissionPhase.Packet, 4, "a4"), At(5, EmissionPhase.Expiry, 3, "close3")]);
        batch.Outputs[1].AddRange([At(5, EmissionPhase.Expiry, 1, "close1"), At(long.MaxValue, EmissionPhase.Expiry, 6, "end6")]);
        batch.Outputs[2].AddRange([
            At(2, EmissionPhase.Packet, 2, "c2"), At(5, EmissionPhase.Packet, 5, "own5a"), At(5, EmissionPhase.Packet, 5, "own5b"),
            At(5, EmissionPhase.Eviction, 5, "evict"), At(long.MaxValue, EmissionPhase.Expiry, 2, "end2"),
        ]);
        var replayed = new List<string>();

        var merger = new ShardMerger(3, e => replayed.Add((string)e.Item));
        merger.Merge(batch);

        Assert.That(replayed, Is.EqualTo(new[] { "c2", "a4", "close1", "close3", "own5a", "own5b", "evict", "end2", "end6" }));
        Assert.That(merger.Replayed, Is.EqualTo(9));
    }

    [Test]
    public void Merge_NothingRecorded_ReplaysNothing()
    {
        var replayed = 0;
        new ShardMerger(2, _ => replayed++).Merge(new PacketBatch(shards: 2));
        Assert.That(replayed, Is.Zero);
    }
}
