using ShadowMcp.Scanner.Reassembly;

namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// Each shard gets an equal part of the scan's flow and memory limits, so N workers together stay inside the
/// budget one worker has. While no limit is reached (flowEvictions and segmentsDropped stay 0) results are the
/// same as with one thread; at a limit, which flows go depends on the shard, as it would on any split.
/// </summary>
internal static class ShardLimits
{
    public static ReassemblyOptions For(ReassemblyOptions whole, int shards) => shards <= 1 ? whole : new ReassemblyOptions
    {
        MaxBufferedBytesPerFlow = whole.MaxBufferedBytesPerFlow,
        MaxBufferedBytesTotal = whole.MaxBufferedBytesTotal / shards,
        MemoryBudgetBytes = Math.Max(1, whole.MemoryBudgetBytes / shards),
        UnreportedAnalyzerBytes = whole.UnreportedAnalyzerBytes,
        IdleTimeout = whole.IdleTimeout,
        CloseDelay = whole.CloseDelay,
        UdpIdleTimeout = whole.UdpIdleTimeout,
        MaxFlows = Math.Max(1, whole.MaxFlows / shards),
    };
}
