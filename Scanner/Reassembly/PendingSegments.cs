using System.Buffers;

namespace ShadowMcp.Scanner.Reassembly;

/// <summary>
/// Out-of-order segments of one direction, sorted by sequence number relative to the next expected byte.
/// Segments may overlap; the reader trims on the way out. Appending (the usual order after a hole) and
/// removing the first are O(1).
/// </summary>
internal sealed class PendingSegments
{
    private PendingSegment[] _items = new PendingSegment[4];
    private int _head;

    public int Count { get; private set; }

    /// <summary>
    /// Memory charged to the budget: the payload bytes plus <see cref="SegmentOverhead"/> per segment, so a flood
    /// of one-byte segments cannot hold far more memory than the budget says.
    /// </summary>
    public int Bytes { get; private set; }

    public const int SegmentOverhead = 64;

    public PendingSegment First => _items[_head];

    /// <summary>Copies the segment in; returns the bytes charged (0 for an exact or contained duplicate).</summary>
    public int Insert(uint next, uint sequence, ReadOnlySpan<byte> data)
    {
        int ahead = (int)(sequence - next);
        // Binary search for the first segment that starts after this one; insert before it.
        int low = 0, high = Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if ((int)(_items[_head + middle].Sequence - next) > ahead) high = middle;
            else low = middle + 1;
        }

        int position = low;
        if (position > 0)
        {
            var previous = _items[_head + position - 1];
            if (previous.Sequence == sequence && previous.Length >= data.Length) return 0;
        }

        MakeRoom();
        int index = _head + position;
        if (position < Count) Array.Copy(_items, index, _items, index + 1, Count - position);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(buffer);
        _items[index] = new PendingSegment(sequence, buffer, data.Length);
        Count++;
        Bytes += data.Length + SegmentOverhead;
        return data.Length + SegmentOverhead;
    }

    /// <summary>Removes the first segment; the caller returns its buffer to the pool.</summary>
    public PendingSegment RemoveFirst()
    {
        var first = _items[_head];
        _items[_head] = default;
        _head++;
        Count--;
        Bytes -= first.Length + SegmentOverhead;
        if (Count == 0) _head = 0;
        return first;
    }

    /// <summary>Drops every segment; returns the bytes charged that were freed.</summary>
    public int Clear()
    {
        int freed = Bytes;
        for (int i = 0; i < Count; i++)
        {
            ArrayPool<byte>.Shared.Return(_items[_head + i].Buffer);
            _items[_head + i] = default;
        }

        _head = 0;
        Count = 0;
        Bytes = 0;
        return freed;
    }

    private void MakeRoom()
    {
        if (_head + Count < _items.Length) return;
        if (_head > 0)
        {
            Array.Copy(_items, _head, _items, 0, Count);
            Array.Clear(_items, Count, _head);
            _head = 0;
            return;
        }

        Array.Resize(ref _items, _items.Length * 2);
    }
}
