using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Reassembly;

/// <summary>What every flow of one scan shares: the analyzer factory, counters, limits and the memory budget.</summary>
internal sealed class ReassemblyContext(IAnalyzerFactory factory, ScanStats stats, ReassemblyOptions options,
    Sharding.EmissionClock? clock = null)
{
    /// <summary>A sharded scan's clock: tells the recorder where in one-thread order each emission belongs.</summary>
    public Sharding.EmissionClock? Clock { get; } = clock;
    public IAnalyzerFactory Factory { get; } = factory;
    public ScanStats Stats { get; } = stats;
    public ReassemblyOptions Options { get; } = options;
    public ReassemblyBudget Budget { get; } = new(options.MaxBufferedBytesTotal);
    public TcpHalfPool Halves { get; } = new();
    /// <summary>Connections that ended while still in the flow table; the table moves them to its ended list.</summary>
    public List<TcpFlow> Ended { get; } = [];
    public FlowMemory Memory => _memory ??= new FlowMemory(Options, Budget, Stats);
    private FlowMemory? _memory;
}
