using System.Buffers.Binary;

namespace ShadowMcp.Scanner.Tests.Capture.Writers;

/// <summary>Writes pcapng blocks exactly (either byte order), including ones the reader must skip.</summary>
internal sealed class PcapNgWriter
{
    private readonly MemoryStream _output = new();
    private bool _bigEndian;

    public PcapNgWriter(bool bigEndian = false) => SectionHeader(bigEndian);

    /// <summary>File offset where each packet block starts.</summary>
    public List<long> PacketOffsets { get; } = [];

    /// <summary>File offset where each block starts.</summary>
    public List<long> BlockOffsets { get; } = [];

    public PcapNgWriter SectionHeader(bool bigEndian = false)
    {
        _bigEndian = bigEndian;
        var body = new List<byte>();
        body.AddRange(U32(0x1A2B3C4D));
        body.AddRange(U16(1));
        body.AddRange(U16(0));
        body.AddRange(U64(ulong.MaxValue)); // section length unknown (-1)
        body.AddRange(Option(4, "test-writer"u8.ToArray())); // shb_userappl
        body.AddRange(U32(0)); // opt_endofopt
        return Block(0x0A0D0D0A, body.ToArray());
    }

    /// <param name="timestampResolution">if_tsresol byte, or null to leave the default (µs).</param>
    public PcapNgWriter Interface(int linkType, uint snapLength = 0, byte? timestampResolution = null, long? timestampOffset = null)
    {
        var body = new List<byte>();
        body.AddRange(U16((ushort)linkType));
        body.AddRange(U16(0));
        body.AddRange(U32(snapLength));
        body.AddRange(Option(2, "eth0"u8.ToArray())); // if_name
        if (timestampResolution is { } resolution) body.AddRange(Option(9, [resolution]));
        if (timestampOffset is { } offset) body.AddRange(Option(14, U64((ulong)offset)));
        body.AddRange(U32(0));
        return Block(1, body.ToArray());
    }

    public PcapNgWriter EnhancedPacket(int interfaceId, ulong timestamp, byte[] frame, int? originalLength = null, uint? capturedLengthOverride = null)
    {
        PacketOffsets.Add(_output.Length);
        var body = new List<byte>();
        body.AddRange(U32((uint)interfaceId));
        body.AddRange(U32((uint)(timestamp >> 32)));
        body.AddRange(U32((uint)timestamp));
        body.AddRange(U32(capturedLengthOverride ?? (uint)frame.Length));
        body.AddRange(U32((uint)(originalLength ?? frame.Length)));
        body.AddRange(Padded(frame));
        body.AddRange(Option(1, "comment"u8.ToArray())); // opt_comment
        body.AddRange(U32(0));
        return Block(6, body.ToArray());
    }

    public PcapNgWriter SimplePacket(byte[] frame, int? originalLength = null)
    {
        PacketOffsets.Add(_output.Length);
        var body = new List<byte>();
        body.AddRange(U32((uint)(originalLength ?? frame.Length)));
        body.AddRange(Padded(frame));
        return Block(3, body.ToArray());
    }

    /// <summary>Name resolution, interface statistics, decryption secrets, custom: blocks the reader skips.</summary>
    public PcapNgWriter SkippableBlocks()
    {
        Block(4, [.. U16(1), .. U16(8), 127, 0, 0, 1, .. "lo\0\0"u8.ToArray(), .. U32(0)]);  // NRB ipv4 record + end
        Block(5, [.. U32(0), .. U32(0), .. U32(1), .. U32(0)]);                               // ISB
        Block(10, [.. U32(0x544c534b), .. U32(4), .. "abcd"u8.ToArray()]);                     // DSB
        Block(0x00000BAD, [.. U32(32473), .. "custom!!"u8.ToArray()]);                         // custom
        return Block(0x0000_7777, [1, 2, 3, 4]);                                              // unknown
    }

    public PcapNgWriter RawBlock(uint type, byte[] body) => Block(type, body);

    public byte[] ToArray() => _output.ToArray();

    private PcapNgWriter Block(uint type, byte[] body)
    {
        BlockOffsets.Add(_output.Length);
        uint length = (uint)(12 + body.Length);
        _output.Write(U32(type));
        _output.Write(U32(length));
        _output.Write(body);
        _output.Write(U32(length));
        return this;
    }

    private byte[] Option(ushort code, byte[] value) => [.. U16(code), .. U16((ushort)value.Length), .. Padded(value)];

    private static byte[] Padded(byte[] data)
    {
        var padded = new byte[(data.Length + 3) & ~3];
        data.CopyTo(padded, 0);
        return padded;
    }

    private byte[] U16(ushort value)
    {
        var bytes = new byte[2];
        if (_bigEndian) BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        else BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        return bytes;
    }

    private byte[] U32(uint value)
    {
        var bytes = new byte[4];
        if (_bigEndian) BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    private byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        if (_bigEndian) BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        else BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return bytes;
    }
}
