using System.Buffers.Binary;

namespace ShadowMcp.Scanner.Capture;

/// <summary>
/// Classic libpcap files: a 24-byte file header, then records of a 16-byte header and the captured bytes.
/// Both byte orders, microsecond (a1b2c3d4) and nanosecond (a1b23c4d) timestamps.
/// </summary>
internal sealed class PcapReader : CaptureReader
{
    private const uint MicrosecondMagic = 0xa1b2c3d4;
    private const uint NanosecondMagic = 0xa1b23c4d;
    private const int FileHeaderLength = 24;
    private const int RecordHeaderLength = 16;

    private readonly bool _bigEndian;
    private readonly bool _nanoseconds;

    public PcapReader(ChunkedInput input, string fileName, CaptureReaderOptions options) : base(input, fileName, options)
    {
        if (!input.Ensure(FileHeaderLength))
            throw Error(CaptureErrorKind.Truncated, 0, $"truncated pcap file header: {input.Available} of {FileHeaderLength} bytes");

        var header = input.Span;
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        _bigEndian = magic is 0xd4c3b2a1 or 0x4d3cb2a1;
        _nanoseconds = magic is NanosecondMagic or 0x4d3cb2a1;
        int major = ReadUInt16(header[4..]);
        if (major != 2) throw Error(CaptureErrorKind.Corrupt, 0, $"unsupported pcap version {major}.{ReadUInt16(header[6..])}");
        SnapLength = ReadUInt32(header[16..]);
        // The low 16 bits are the link type; the high bits may carry FCS information.
        LinkType = (int)(ReadUInt32(header[20..]) & 0xFFFF);
        if (!LinkTypes.IsSupported(LinkType)) throw UnsupportedLinkType(LinkType, 20, "pcap file header");
        input.Advance(FileHeaderLength);
    }

    public static bool IsMagic(uint littleEndianMagic) =>
        littleEndianMagic is MicrosecondMagic or NanosecondMagic or 0xd4c3b2a1 or 0x4d3cb2a1;

    public int LinkType { get; }

    public uint SnapLength { get; }

    public override bool TryReadFrame(out CaptureFrame frame)
    {
        long offset = Input.Position;
        if (!Input.Ensure(RecordHeaderLength))
        {
            if (Input.Available == 0)
            {
                frame = default;
                return false;
            }

            throw Error(CaptureErrorKind.Truncated, offset,
                $"truncated record header: {Input.Available} of {RecordHeaderLength} bytes");
        }

        var header = Input.Span;
        uint seconds = ReadUInt32(header);
        uint fraction = ReadUInt32(header[4..]);
        uint captured = ReadUInt32(header[8..]);
        uint original = ReadUInt32(header[12..]);
        if (captured > (uint)Options.MaxFrameLength)
            throw Error(CaptureErrorKind.Corrupt, offset,
                $"record claims {captured} captured bytes, more than the {Options.MaxFrameLength}-byte limit");

        int length = (int)captured;
        if (!Input.Ensure(RecordHeaderLength + length))
            throw Error(CaptureErrorKind.Truncated, offset,
                $"truncated record: {Input.Available - RecordHeaderLength} of {length} captured bytes");

        long ticks = seconds * TimeSpan.TicksPerSecond + (_nanoseconds ? fraction / 100 : fraction * 10L);
        var data = Input.Span.Slice(RecordHeaderLength, length);
        Input.Advance(RecordHeaderLength + length);
        frame = new CaptureFrame(data, LinkType, FromUnixTicks(ticks), (int)Math.Min(original, int.MaxValue), offset, 0);
        return true;
    }

    private ushort ReadUInt16(ReadOnlySpan<byte> span) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span);

    private uint ReadUInt32(ReadOnlySpan<byte> span) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);
}
