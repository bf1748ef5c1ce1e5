namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// Where an emission (observation, flow end, TLS summary) falls in the order a one-thread scan makes them: at
/// packet <see cref="Packet"/>, first the flows that packet's idle sweep closed (oldest first, i.e. by the
/// sequence of their last packet, <see cref="Flow"/>), then the packet's own flow, then memory evictions.
/// The end of input is packet <see cref="long.MaxValue"/>. Emissions of one shard come out in this order
/// already; across shards no two share a key, so merging by key rebuilds the one-thread order exactly.
/// </summary>
public readonly record struct EmissionKey(long Packet, EmissionPhase Phase, long Flow)
{
    /// <summary>Negative when this key comes first in one-thread order.</summary>
    public int CompareTo(EmissionKey other)
    {
        int c = Packet.CompareTo(other.Packet);
        if (c != 0) return c;
        c = Phase.CompareTo(other.Phase);
        return c != 0 ? c : Flow.CompareTo(other.Flow);
    }
}
