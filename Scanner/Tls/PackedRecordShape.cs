namespace ShadowMcp.Scanner.Tls;

/// <summary>
/// A <see cref="TlsRecordShape"/> in one long: the direction in the top bit, the length (a record header's 16 bits)
/// below it, and the time as a signed offset in ticks from the flow's first record in the low 47 bits (about 81
/// days either way; a capture whose clock jumps further is kept unpacked by the caller).
/// </summary>
internal static class PackedRecordShape
{
    private const int OffsetBits = 47;
    private const long OffsetMask = (1L << OffsetBits) - 1;
    private const long MaxOffset = (1L << (OffsetBits - 1)) - 1;
    private const long MinOffset = -(1L << (OffsetBits - 1));

    public static bool TryPack(TlsRecordShape shape, long baseTicks, out long packed)
    {
        long offset = shape.Time.Ticks - baseTicks;
        if (offset is > MaxOffset or < MinOffset || (uint)shape.Length > ushort.MaxValue)
        {
            packed = 0;
            return false;
        }
        packed = (shape.FromClient ? long.MinValue : 0) | ((long)shape.Length << OffsetBits) | (offset & OffsetMask);
        return true;
    }

    public static TlsRecordShape Unpack(long packed, DateTime first)
    {
        bool fromClient = packed < 0;
        int length = (int)((packed >>> OffsetBits) & ushort.MaxValue);
        long offset = (packed << (64 - OffsetBits)) >> (64 - OffsetBits); // sign-extends the 47 bits
        return new TlsRecordShape(fromClient, length, new DateTime(first.Ticks + offset, first.Kind));
    }
}
