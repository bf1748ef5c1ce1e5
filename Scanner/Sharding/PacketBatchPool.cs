namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// A fixed set of batches, rented by the reader and returned by the merger. That the set is fixed bounds the
/// scan's memory and holds the reader back when workers or the merger fall behind.
/// </summary>
internal sealed class PacketBatchPool : IDisposable
{
    private readonly Stack<PacketBatch> _free = new();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _available;

    public PacketBatchPool(int batches, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batches, 1);
        for (var i = 0; i < batches; i++) _free.Push(new PacketBatch(shards));
        _available = new SemaphoreSlim(batches, batches);
        Size = batches;
    }

    /// <summary>Batches for <paramref name="shards"/> workers: each can hold one while another fills and one waits.</summary>
    public static int SizeFor(int shards) => 2 * shards + 2;

    public int Size { get; }

    /// <summary>Batches not rented now.</summary>
    public int Available
    {
        get { lock (_lock) return _free.Count; }
    }

    /// <summary>Waits for a free batch.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was canceled while waiting.</exception>
    public PacketBatch Rent(CancellationToken ct)
    {
        _available.Wait(ct);
        lock (_lock) return _free.Pop();
    }

    public void Return(PacketBatch batch)
    {
        batch.Reset();
        lock (_lock) _free.Push(batch);
        _available.Release();
    }

    public void Dispose() => _available.Dispose();
}
