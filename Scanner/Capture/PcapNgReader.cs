using System.Buffers.Binary;

namespace ShadowMcp.Scanner.Capture;

/// <summary>
/// pcapng files: sections (SHB) holding interfaces (IDB) and packets (EPB, SPB, obsolete PB). Other blocks
/// (NRB, ISB, DSB, custom, unknown) are skipped by their length. A new section resets the interface list.
/// </summary>
internal sealed class PcapNgReader : CaptureReader
{
    public const uint SectionHeaderType = 0x0A0D0D0A;
    private const uint InterfaceDescriptionType = 1;
    private const uint ObsoletePacketType = 2;
    private const uint SimplePacketType = 3;
    private const uint EnhancedPacketType = 6;
    private const uint ByteOrderMagic = 0x1A2B3C4D;
    private const int OptionTimestampResolution = 9;
    private const int OptionTimestampOffset = 14;

    private readonly List<PcapNgInterface> _interfaces = [];
    private bool _bigEndian;
    private DateTime _lastTime = DateTime.UnixEpoch;

    public PcapNgReader(ChunkedInput input, string fileName, CaptureReaderOptions options) : base(input, fileName, options)
    {
        ReadSectionHeader(input.Position);
    }

    /// <summary>Interfaces of the current section, in IDB order.</summary>
    public IReadOnlyList<PcapNgInterface> Interfaces => _interfaces;

    public override bool TryReadFrame(out CaptureFrame frame)
    {
        while (true)
        {
            long offset = Input.Position;
            if (!Input.Ensure(8))
            {
                if (Input.Available == 0)
                {
                    frame = default;
                    return false;
                }

                throw Error(CaptureErrorKind.Truncated, offset, $"truncated block header: {Input.Available} of 8 bytes");
            }

            uint type = ReadUInt32(Input.Span);
            if (type == SectionHeaderType)
            {
                ReadSectionHeader(offset);
                continue;
            }

            uint length = ReadUInt32(Input.Span[4..]);
            if (length < 12 || length % 4 != 0)
                throw Error(CaptureErrorKind.Corrupt, offset, $"block type 0x{type:X} has invalid length {length}");

            switch (type)
            {
                case EnhancedPacketType:
                case SimplePacketType:
                case ObsoletePacketType:
                    frame = ReadPacketBlock(type, (int)Math.Min(length, int.MaxValue), offset);
                    return true;
                case InterfaceDescriptionType:
                    ReadInterfaceBlock(LoadBlock(type, length, offset), offset);
                    break;
                default:
                    if (!Input.Skip(length))
                        throw Error(CaptureErrorKind.Truncated, offset, $"truncated block type 0x{type:X} of {length} bytes");
                    break;
            }
        }
    }

    private void ReadSectionHeader(long offset)
    {
        if (!Input.Ensure(12))
            throw Error(CaptureErrorKind.Truncated, offset, $"truncated section header block: {Input.Available} of 28 bytes");

        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(Input.Span[8..]);
        if (magic == ByteOrderMagic) _bigEndian = false;
        else if (BinaryPrimitives.ReverseEndianness(magic) == ByteOrderMagic) _bigEndian = true;
        else throw Error(CaptureErrorKind.Corrupt, offset, $"section header has bad byte-order magic 0x{magic:X8}");

        uint length = ReadUInt32(Input.Span[4..]);
        if (length < 28 || length % 4 != 0)
            throw Error(CaptureErrorKind.Corrupt, offset, $"section header block has invalid length {length}");

        var block = LoadBlock(SectionHeaderType, length, offset);
        int major = ReadUInt16(block[12..]);
        if (major != 1)
            throw Error(CaptureErrorKind.Corrupt, offset, $"unsupported pcapng version {major}.{ReadUInt16(block[14..])}");

        // The section length (block[16..24]) may be -1 (unknown); blocks are walked one by one either way.
        _interfaces.Clear();
        Input.Advance(block.Length);
    }

    /// <summary>Buffers a whole block and checks its trailing length; the caller advances past it.</summary>
    private ReadOnlySpan<byte> LoadBlock(uint type, uint length, long offset)
    {
        if (length > (uint)Input.Capacity)
            throw Error(CaptureErrorKind.Corrupt, offset,
                $"block type 0x{type:X} claims {length} bytes, more than the {Input.Capacity}-byte read buffer");

        if (!Input.Ensure((int)length))
            throw Error(CaptureErrorKind.Truncated, offset,
                $"truncated block type 0x{type:X}: {Input.Available} of {length} bytes");

        var block = Input.Span[..(int)length];
        uint trailer = ReadUInt32(block[^4..]);
        if (trailer != length)
            throw Error(CaptureErrorKind.Corrupt, offset,
                $"block type 0x{type:X} ends with length {trailer}, its header says {length}");

        return block;
    }

    private void ReadInterfaceBlock(ReadOnlySpan<byte> block, long offset)
    {
        if (block.Length < 20)
            throw Error(CaptureErrorKind.Corrupt, offset, $"interface description block is {block.Length} bytes, less than 20");

        int linkType = ReadUInt16(block[8..]);
        uint snapLength = ReadUInt32(block[12..]);
        byte resolution = 6;
        long timestampOffset = 0;
        var options = block[16..^4];
        while (options.Length >= 4)
        {
            int code = ReadUInt16(options);
            int length = ReadUInt16(options[2..]);
            if (code == 0 || 4 + length > options.Length) break;
            var value = options.Slice(4, length);
            if (code == OptionTimestampResolution && length >= 1) resolution = value[0];
            else if (code == OptionTimestampOffset && length >= 8) timestampOffset = (long)ReadUInt64(value);
            options = options[Math.Min(options.Length, 4 + ((length + 3) & ~3))..];
        }

        if (!LinkTypes.IsSupported(linkType))
            throw UnsupportedLinkType(linkType, offset, $"pcapng interface {_interfaces.Count}");

        _interfaces.Add(new PcapNgInterface(linkType, snapLength, resolution, timestampOffset));
        Input.Advance(block.Length);
    }

    private CaptureFrame ReadPacketBlock(uint type, int length, long offset)
    {
        var block = LoadBlock(type, (uint)length, offset);
        int interfaceId, dataStart, captured, original;
        ulong units = 0;
        if (type == SimplePacketType)
        {
            if (block.Length < 16) throw Error(CaptureErrorKind.Corrupt, offset, "simple packet block is shorter than 16 bytes");
            interfaceId = 0;
            dataStart = 12;
            original = (int)Math.Min(ReadUInt32(block[8..]), int.MaxValue);
            captured = Math.Min(original, block.Length - 16);
            if (_interfaces.Count > 0 && _interfaces[0].SnapLength > 0) captured = (int)Math.Min(captured, _interfaces[0].SnapLength);
        }
        else
        {
            if (block.Length < 32) throw Error(CaptureErrorKind.Corrupt, offset, $"packet block type 0x{type:X} is shorter than 32 bytes");
            interfaceId = type == EnhancedPacketType ? (int)Math.Min(ReadUInt32(block[8..]), int.MaxValue) : ReadUInt16(block[8..]);
            units = ((ulong)ReadUInt32(block[12..]) << 32) | ReadUInt32(block[16..]);
            uint capturedField = ReadUInt32(block[20..]);
            original = (int)Math.Min(ReadUInt32(block[24..]), int.MaxValue);
            dataStart = 28;
            if (capturedField > (uint)(block.Length - 32))
                throw Error(CaptureErrorKind.Corrupt, offset,
                    $"packet block claims {capturedField} captured bytes but holds at most {block.Length - 32}");
            captured = (int)capturedField;
        }

        if (captured > Options.MaxFrameLength)
            throw Error(CaptureErrorKind.Corrupt, offset,
                $"packet block claims {captured} captured bytes, more than the {Options.MaxFrameLength}-byte limit");

        if ((uint)interfaceId >= (uint)_interfaces.Count)
            throw Error(CaptureErrorKind.Corrupt, offset,
                $"packet block refers to interface {interfaceId}, but the section defines {_interfaces.Count}");

        var source = _interfaces[interfaceId];
        if (type != SimplePacketType) _lastTime = FromUnixTicks(source.ToUnixTicks(units));
        var data = block.Slice(dataStart, captured);
        Input.Advance(length);
        return new CaptureFrame(data, source.LinkType, _lastTime, original, offset, interfaceId);
    }

    private ushort ReadUInt16(ReadOnlySpan<byte> span) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span);

    private uint ReadUInt32(ReadOnlySpan<byte> span) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);

    private ulong ReadUInt64(ReadOnlySpan<byte> span) =>
        _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(span) : BinaryPrimitives.ReadUInt64LittleEndian(span);
}
