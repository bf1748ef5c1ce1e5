namespace ShadowMcp.Scanner.Http2;

/// <summary>
/// The HPACK dynamic table (RFC 7541 section 2.3.2, 4): newest entry first, each costing its name and value
/// length plus 32 octets, oldest entries evicted to stay within the maximum size. The entries' bytes live one after
/// the other in one buffer (oldest first) and a ring holds where each starts: adding an entry allocates nothing, so a
/// peer churning the table (one entry every few bytes) costs copies, not garbage. When the buffer's end is reached the
/// live bytes move to its start; the buffer is kept at least twice the live bytes, so each byte moves at most once on
/// average and the buffer stays below about twice the table size.
/// </summary>
internal sealed class HpackDynamicTable(int maxSize)
{
    public const int EntryOverhead = 32;

    // Where an entry's name starts, counted in bytes ever added (wrapping): _bytes[0] is at _base, so moving the
    // live bytes changes only _base. Its value follows the name.
    private readonly record struct Slot(uint Position, int NameLength, int ValueLength);

    private const int SlotBytes = 12;
    private const int MinBufferBytes = 256;

    private Slot[] _ring = new Slot[8];
    // The sink's text of each entry (IHpackHeaderSink.OnIndexedHeader), beside its slot; null until made.
    private string?[] _texts = new string?[8];
    private int _start; // index of the oldest entry
    private int _count;
    private byte[] _bytes = [];
    private int _end; // just past the newest entry's bytes
    private uint _base;

    public int Count => _count;

    /// <summary>Sum of the entry sizes.</summary>
    public int Size { get; private set; }

    public int MaxSize { get; private set; } = maxSize;

    /// <summary>Heap bytes of the entries' buffer and ring, for the flow memory budget.</summary>
    public int HeldBytes => _bytes.Length + _ring.Length * (SlotBytes + 8) + 2 * _textChars;

    // Chars of the memoised texts, held as long as their entries (UTF-16: two bytes each).
    private int _textChars;

    /// <summary>The sink made the memo of an entry (<see cref="Text"/>): its chars are held until the entry leaves.</summary>
    public void TextMade(string text) => _textChars += text.Length;

    /// <summary>The entry at <paramref name="index"/> (1 is the newest); valid until the next change to the table.</summary>
    public void Get(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var slot = _ring[(_start + _count - index) % _ring.Length];
        int offset = (int)(slot.Position - _base);
        name = _bytes.AsSpan(offset, slot.NameLength);
        value = _bytes.AsSpan(offset + slot.NameLength, slot.ValueLength);
    }

    /// <summary>The memo of the entry at <paramref name="index"/> (1 is the newest): its text made by the sink, or null.</summary>
    public ref string? Text(int index) => ref _texts[(_start + _count - index) % _ring.Length];

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
        int length = name.Length + value.Length;
        if (_end + length > _bytes.Length) MakeRoom(length);
        name.CopyTo(_bytes.AsSpan(_end));
        value.CopyTo(_bytes.AsSpan(_end + name.Length));
        _texts[(_start + _count) % _ring.Length] = null;
        _ring[(_start + _count) % _ring.Length] = new Slot(_base + (uint)_end, name.Length, value.Length);
        _end += length;
        _count++;
        Size += size;
    }

    public void Clear() => EvictTo(0);

    private void EvictTo(int size)
    {
        while (Size > size && _count > 0)
        {
            var slot = _ring[_start];
            _ring[_start] = default;
            if (_texts[_start] is { } text) _textChars -= text.Length;
            _texts[_start] = null;
            _start = (_start + 1) % _ring.Length;
            _count--;
            Size -= slot.NameLength + slot.ValueLength + EntryOverhead;
        }
        if (_count == 0)
        {
            _base += (uint)_end;
            _end = 0;
        }
    }

    /// <summary>Moves the live bytes to the buffer's start, in a buffer at least twice what they and the new entry need.</summary>
    private void MakeRoom(int length)
    {
        int first = _count == 0 ? _end : (int)(_ring[_start].Position - _base);
        int live = _end - first;
        var target = _bytes;
        if (2 * (live + length) > _bytes.Length) target = new byte[Math.Max(MinBufferBytes, 2 * (live + length))];
        _bytes.AsSpan(first, live).CopyTo(target);
        _bytes = target;
        _end = live;
        _base += (uint)first;
    }

    private void Grow()
    {
        var bigger = new Slot[_ring.Length * 2];
        var texts = new string?[_ring.Length * 2];
        for (int i = 0; i < _count; i++)
        {
            bigger[i] = _ring[(_start + i) % _ring.Length];
            texts[i] = _texts[(_start + i) % _ring.Length];
        }
        _ring = bigger;
        _texts = texts;
        _start = 0;
    }
}
