using ShadowMcp.Core.Observations;

namespace ShadowMcp.Scanner.Reassembly;

/// <summary>
/// The one memory budget of a scan: every flow entry is charged its objects and its analyzer's state, and the
/// reassembly budget adds the out-of-order bytes. Over the limit, the flow table evicts (see <see cref="PickVictim"/>);
/// the peak of this accounting is what the budget promises, so it is reported in <see cref="ScanStats"/>.
/// </summary>
internal sealed class FlowMemory(ReassemblyOptions options, ReassemblyBudget reassembly, ScanStats stats)
{
    /// <summary>A flow entry with its key, endpoints text and dictionary slot; measured roughly on x64.</summary>
    public const int EntryBytes = 384;

    /// <summary>What a TCP flow adds: its two halves and state.</summary>
    public const int TcpExtraBytes = 192;

    /// <summary>How many of the least recently active flows are looked at to choose a victim.</summary>
    private const int Candidates = 64;

    private long _charged;

    public long Used => _charged + reassembly.Used;

    public bool OverBudget => Used > options.MemoryBudgetBytes;

    /// <summary>Brings the entry's charge up to date with what it holds now.</summary>
    public void Recharge(FlowEntry entry)
    {
        long cost = entry.MemoryCost(options);
        _charged += cost - entry.Charged;
        entry.Charged = cost;
    }

    public void Release(FlowEntry entry)
    {
        _charged -= entry.Charged;
        entry.Charged = 0;
    }

    public void NotePeak()
    {
        if (Used > stats.MemoryPeakBytes) stats.MemoryPeakBytes = Used;
    }

    /// <summary>
    /// Among the least recently active flows (never <paramref name="current"/>), the one that holds most bytes for the
    /// least evidence: the lowest <see cref="EvictionReason"/> class first, then the most bytes. Null when only the
    /// current flow is left.
    /// </summary>
    public static FlowEntry? PickVictim(FlowEntry? oldest, FlowEntry? current)
    {
        FlowEntry? best = null;
        int looked = 0;
        for (var entry = oldest; entry is not null && looked < Candidates; entry = entry.Newer)
        {
            if (entry == current) continue;
            looked++;
            if (best is null || entry.EvictionClass < best.EvictionClass
                || (entry.EvictionClass == best.EvictionClass && Bytes(entry) > Bytes(best)))
                best = entry;
        }

        return best;
    }

    public void CountEviction(EvictionReason reason)
    {
        stats.FlowEvictions++;
        switch (reason)
        {
            case EvictionReason.Stateless: stats.EvictedStateless++; break;
            case EvictionReason.HalfOpen: stats.EvictedHalfOpen++; break;
            case EvictionReason.OneWay: stats.EvictedOneWay++; break;
            default: stats.EvictedTwoWay++; break;
        }
    }

    private static long Bytes(FlowEntry entry) => entry.Charged + entry.PendingBytes;
}
