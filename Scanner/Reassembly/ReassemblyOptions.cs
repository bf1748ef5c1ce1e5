namespace ShadowMcp.Scanner.Reassembly;

/// <summary>Memory and time limits of the flow table and TCP reassembly.</summary>
public sealed class ReassemblyOptions
{
    /// <summary>Out-of-order bytes one TCP connection (both directions) may hold while waiting for a hole.</summary>
    public int MaxBufferedBytesPerFlow { get; init; } = 256 * 1024;

    /// <summary>Out-of-order bytes all connections together may hold (part of <see cref="MemoryBudgetBytes"/>).</summary>
    public long MaxBufferedBytesTotal { get; init; } = 32L * 1024 * 1024;

    /// <summary>
    /// The one budget for all per-flow state: flow entries, analyzer buffers (HTTP heads and bodies, SSE, TLS) and
    /// out-of-order bytes. Beyond it the flows holding most for the least evidence are evicted. The default keeps
    /// the whole process near 200 MiB (the runtime, rules and store take the rest).
    /// </summary>
    public long MemoryBudgetBytes { get; init; } = 96L * 1024 * 1024;

    /// <summary>What an analyzer that does not report its state (<see cref="Sessions.IHoldsBytes"/>) is charged.</summary>
    public int UnreportedAnalyzerBytes { get; init; } = 16 * 1024 + 64;

    /// <summary>A flow with no packet for this long (capture time) is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// An ended TCP connection (FIN both ways, or RST) stays this long after its last packet (capture time), so late
    /// retransmissions still count in its flow-log line; then it leaves the table. Zeek waits 5 s too.
    /// </summary>
    public TimeSpan CloseDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A UDP flow with no datagram for this long (capture time) is closed; Zeek's default is the same minute.</summary>
    public TimeSpan UdpIdleTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Flows tracked at once; the least recently active one is evicted beyond this.</summary>
    public int MaxFlows { get; init; } = 500_000;

    internal void Validate()
    {
        if (MaxBufferedBytesPerFlow < 0) throw new ArgumentOutOfRangeException(nameof(MaxBufferedBytesPerFlow));
        if (MaxBufferedBytesTotal < 0) throw new ArgumentOutOfRangeException(nameof(MaxBufferedBytesTotal));
        if (IdleTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(IdleTimeout));
        if (UdpIdleTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(UdpIdleTimeout));
        if (CloseDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(CloseDelay));
        if (MaxFlows < 1) throw new ArgumentOutOfRangeException(nameof(MaxFlows));
        if (MemoryBudgetBytes < 1) throw new ArgumentOutOfRangeException(nameof(MemoryBudgetBytes));
        if (UnreportedAnalyzerBytes < 0) throw new ArgumentOutOfRangeException(nameof(UnreportedAnalyzerBytes));
    }
}
