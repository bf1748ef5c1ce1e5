using ShadowMcp.Core.Hashing;
using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Reassembly;

namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// Picks the shard of a packet from its flow's 5-tuple. Symmetric: the key puts the lower endpoint first, so
/// both directions of a flow land on the same shard. Deterministic (no per-process seed), so a shard's flows are
/// the same on every run, which keeps a failure reproducible.
/// </summary>
internal static class FlowShardHash
{
    public static int ShardOf(in DecodedPacket packet, int shards)
    {
        var key = FlowKey.Create(packet, out _);
        return ShardOf(key, shards);
    }

    public static int ShardOf(in FlowKey key, int shards)
    {
        if (shards <= 1) return 0;
        ulong h = Mix(key.LowAddress.High ^ Mix(key.LowAddress.Low));
        h = Mix(h ^ key.HighAddress.High) ^ Mix(key.HighAddress.Low + 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ ((ulong)key.LowPort << 24 | (ulong)key.HighPort << 8 | key.Protocol));
        return (int)(h % (uint)shards);
    }

    private static ulong Mix(ulong x) => BitMixer.Mix64(x);
}
