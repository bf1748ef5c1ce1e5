using System.Buffers;

namespace ShadowMcp.Scanner.Buffers;

/// <summary>
/// Grows and releases a per-message byte buffer through <see cref="ArrayPool{T}.Shared"/>. A head, a body prefix or
/// an event is held only while its message is in progress and goes back to the pool when it ends, so a connection
/// between messages holds nothing and the next message, on any flow, reuses the array instead of allocating one.
/// Every non-empty buffer passed here must have come from here: an empty one means "none rented".
/// </summary>
internal static class PooledBytes
{
    /// <summary>Makes <paramref name="buffer"/> hold at least <paramref name="needed"/> bytes, keeping the first <paramref name="used"/>.</summary>
    public static void Grow(ref byte[] buffer, int used, int needed)
    {
        if (needed <= buffer.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(needed);
        buffer.AsSpan(0, used).CopyTo(bigger);
        Release(ref buffer);
        buffer = bigger;
    }

    /// <summary>Gives the buffer back; nothing may read it afterwards.</summary>
    public static void Release(ref byte[] buffer)
    {
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }
}
