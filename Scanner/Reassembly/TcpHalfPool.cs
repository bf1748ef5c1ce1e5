namespace ShadowMcp.Scanner.Reassembly;

/// <summary>
/// Halves of closed TCP flows, kept for the flows that open next: on a capture of short connections every flow would
/// make two. One per scan (or shard), so one thread uses it; bounded, since only the turnover needs covering.
/// </summary>
internal sealed class TcpHalfPool
{
    private const int MaxKept = 512;
    private readonly Stack<TcpHalf> _free = new();

    public TcpHalf Rent(bool fromInitiator) => _free.TryPop(out var half) ? half.Reset(fromInitiator) : new TcpHalf(fromInitiator);

    /// <summary>Takes back a half that its flow no longer reads (the flow closed and released its buffers).</summary>
    public void Return(TcpHalf half)
    {
        if (_free.Count < MaxKept && !ReferenceEquals(half, TcpHalf.Released)) _free.Push(half);
    }
}
