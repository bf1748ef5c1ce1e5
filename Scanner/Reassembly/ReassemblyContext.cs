using ShadowMcp.Core.Observations;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Reassembly;

/// <summary>What every flow of one scan shares: the analyzer factory, counters, limits and the memory budget.</summary>
internal sealed class ReassemblyContext(IAnalyzerFactory factory, ScanStats stats, ReassemblyOptions options)
{
    public IAnalyzerFactory Factory { get; } = factory;
    public ScanStats Stats { get; } = stats;
    public ReassemblyOptions Options { get; } = options;
    public ReassemblyBudget Budget { get; } = new(options.MaxBufferedBytesTotal);
    public FlowMemory Memory => _memory ??= new FlowMemory(Options, Budget, Stats);
    private FlowMemory? _memory;
}
