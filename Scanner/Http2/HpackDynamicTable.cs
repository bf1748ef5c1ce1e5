namespace ShadowMcp.Scanner.Http2;

/// <summary>
/// The HPACK dynamic table (RFC 7541 section 2.3.2, 4): newest entry first, each costing its name and value
/// length plus 32 octets, oldest entries evicted to stay within the maximum size. A ring of entries.
/// </summary>
internal sealed class HpackDynamicTable(int maxSize)
{
    public const int EntryOverhead = 32;

    private (byte[] Name, byte[] Value)[] _ring = new (byte[], byte[])[8];
    private int _start; // index of the oldest entry
    private int _count;

    public int Count => _count;

    /// <summary>Sum of the entry sizes.</summary>
    public int Size { get; private set; }

    public int MaxSize { get; private set; } = maxSize;

    /// <param name="index">1 is the newest entry.</param>
    public (byte[] Name, byte[] Value) Get(int index) => _ring[(_start + _count - index) % _ring.Length];

    public void SetMaxSize(int maxSize)
    {
        MaxSize = maxSize;
        EvictTo(maxSize);
    }

    /// <summary>Adds an entry; one larger than the table empties it and is not added (section 4.4).</summary>
    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        int size = name.Length + value.Length + EntryOverhead;
        if (size > MaxSize)
        {
            EvictTo(0);
            return;
        }
        EvictTo(MaxSize - size);
        if (_count == _ring.Length) Grow();
        _ring[(_start + _count) % _ring.Length] = (name.ToArray(), value.ToArray());
        _count++;
        Size += size;
    }

    public void Clear() => EvictTo(0);

    private void EvictTo(int size)
    {
        while (Size > size && _count > 0)
        {
            var (name, value) = _ring[_start];
            _ring[_start] = default;
            _start = (_start + 1) % _ring.Length;
            _count--;
            Size -= name.Length + value.Length + EntryOverhead;
        }
    }

    private void Grow()
    {
        var bigger = new (byte[], byte[])[_ring.Length * 2];
        for (int i = 0; i < _count; i++) bigger[i] = _ring[(_start + i) % _ring.Length];
        _ring = bigger;
        _start = 0;
    }
}
