namespace ShadowMcp.Scanner.Reassembly;

/// <summary>Memory and time limits of the flow table and TCP reassembly.</summary>
public sealed class ReassemblyOptions
{
    /// <summary>Out-of-order bytes one TCP connection (both directions) may hold while waiting for a hole.</summary>
    public int MaxBufferedBytesPerFlow { get; init; } = 256 * 1024;

    /// <summary>Out-of-order bytes all connections together may hold.</summary>
    public long MaxBufferedBytesTotal { get; init; } = 256L * 1024 * 1024;

    /// <summary>A flow with no packet for this long (capture time) is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Flows tracked at once; the least recently active one is evicted beyond this.</summary>
    public int MaxFlows { get; init; } = 500_000;

    internal void Validate()
    {
        if (MaxBufferedBytesPerFlow < 0) throw new ArgumentOutOfRangeException(nameof(MaxBufferedBytesPerFlow));
        if (MaxBufferedBytesTotal < 0) throw new ArgumentOutOfRangeException(nameof(MaxBufferedBytesTotal));
        if (IdleTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(IdleTimeout));
        if (MaxFlows < 1) throw new ArgumentOutOfRangeException(nameof(MaxFlows));
    }
}
