using ShadowMcp.Scanner.Buffers;

namespace ShadowMcp.Scanner.Http;

/// <summary>
/// The kept beginning of one body (bounded) and the count of all body bytes seen. Bytes past the prefix cost
/// only an addition. After a gap nothing more is kept, since the bytes would no longer be contiguous.
/// The prefix lives in a pooled array from its first byte until the next <see cref="Reset()"/> or <see cref="Release"/>.
/// </summary>
internal sealed class HttpBodyPrefix(int maxCapacity)
{
    private readonly int _maxCapacity = maxCapacity;
    private byte[] _buffer = [];

    /// <summary>Bytes this prefix holds on the heap, for the flow memory budget.</summary>
    public int HeldBytes => _buffer.Length;
    private int capacity = maxCapacity; // this message's limit, at most _maxCapacity
    private int _count;
    private bool _gap;

    public long Length { get; private set; }

    /// <summary>Nothing more will be kept for this message (the prefix is full or a gap broke it).</summary>
    public bool Full => _gap || _count >= capacity;

    public ReadOnlySpan<byte> Kept => _buffer.AsSpan(0, _count);

    public void Append(ReadOnlySpan<byte> data)
    {
        Length += data.Length;
        int take = Math.Min(capacity - _count, data.Length);
        if (_gap || take <= 0) return;
        if (_count + take > _buffer.Length)
            PooledBytes.Grow(ref _buffer, _count, Math.Min(capacity, Math.Max(_count + take, Math.Max(1024, _buffer.Length * 2))));
        data[..take].CopyTo(_buffer.AsSpan(_count));
        _count += take;
    }

    public void OnGap() => _gap = true;

    /// <summary>Starts a new message that keeps at most <paramref name="keep"/> bytes (never more than the maximum).</summary>
    public void Reset(int keep)
    {
        capacity = Math.Min(keep, _maxCapacity);
        Reset();
    }

    public void Reset()
    {
        Release();
        _gap = false;
        Length = 0;
    }

    /// <summary>As new: no bytes, and the full capacity for the next message.</summary>
    public void Restart() => Reset(_maxCapacity);

    /// <summary>The message has been emitted: its kept bytes go back to the pool (<see cref="Length"/> stays).</summary>
    public void Release()
    {
        _count = 0;
        PooledBytes.Release(ref _buffer);
    }
}
