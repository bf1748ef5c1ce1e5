namespace ShadowMcp.Scanner.Capture;

/// <summary>One pcapng Interface Description Block: link type, snap length and timestamp units.</summary>
internal sealed class PcapNgInterface
{
    private readonly bool _binaryResolution;
    private readonly int _exponent;
    private readonly long _decimalMultiplier;
    private readonly long _offsetTicks;

    /// <param name="timestampResolution">The if_tsresol byte: 10^-n, or 2^-n when the top bit is set. Default 6 (µs).</param>
    /// <param name="timestampOffsetSeconds">The if_tsoffset option: seconds added to every timestamp.</param>
    public PcapNgInterface(int linkType, uint snapLength, byte timestampResolution, long timestampOffsetSeconds)
    {
        LinkType = linkType;
        SnapLength = snapLength;
        _binaryResolution = (timestampResolution & 0x80) != 0;
        _exponent = timestampResolution & 0x7F;
        _decimalMultiplier = !_binaryResolution && _exponent <= 7 ? Pow10(7 - _exponent) : 0;
        Int128 offsetTicks = (Int128)timestampOffsetSeconds * TimeSpan.TicksPerSecond;
        _offsetTicks = offsetTicks > long.MaxValue / 2 ? long.MaxValue / 2 : offsetTicks < long.MinValue / 2 ? long.MinValue / 2 : (long)offsetTicks;
    }

    public int LinkType { get; }

    public uint SnapLength { get; }

    /// <summary>Converts a timestamp in interface units to 100 ns ticks since the Unix epoch.</summary>
    public long ToUnixTicks(ulong units)
    {
        UInt128 ticks;
        if (_decimalMultiplier != 0) ticks = (UInt128)units * (ulong)_decimalMultiplier;
        else if (_binaryResolution) ticks = _exponent >= 127 ? 0 : ((UInt128)units * TimeSpan.TicksPerSecond) >> _exponent;
        else ticks = _exponent - 7 > 38 ? 0 : (UInt128)units / Pow10Wide(_exponent - 7);

        long whole = ticks > (UInt128)(long.MaxValue / 2) ? long.MaxValue / 2 : (long)ticks;
        return whole + _offsetTicks;
    }

    private static long Pow10(int n)
    {
        long value = 1;
        for (int i = 0; i < n; i++) value *= 10;
        return value;
    }

    private static UInt128 Pow10Wide(int n)
    {
        UInt128 value = 1;
        for (int i = 0; i < n; i++) value *= 10;
        return value;
    }
}
