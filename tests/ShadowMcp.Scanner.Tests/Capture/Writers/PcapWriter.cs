using System.Buffers.Binary;

namespace ShadowMcp.Scanner.Tests.Capture.Writers;

/// <summary>Writes classic pcap bytes exactly, in either byte order and timestamp precision, for reader tests.</summary>
internal sealed class PcapWriter
{
    private readonly MemoryStream _output = new();
    private readonly bool _bigEndian;
    private readonly bool _nanoseconds;

    public PcapWriter(int linkType, bool bigEndian = false, bool nanoseconds = false, uint snapLength = 262144)
    {
        _bigEndian = bigEndian;
        _nanoseconds = nanoseconds;
        WriteUInt32(nanoseconds ? 0xa1b23c4du : 0xa1b2c3d4u);
        WriteUInt16(2);
        WriteUInt16(4);
        WriteUInt32(0);
        WriteUInt32(0);
        WriteUInt32(snapLength);
        WriteUInt32((uint)linkType);
    }

    /// <summary>File offset where each record starts.</summary>
    public List<long> RecordOffsets { get; } = [];

    public PcapWriter Add(DateTime time, byte[] frame, int? originalLength = null, uint? capturedLengthOverride = null)
    {
        RecordOffsets.Add(_output.Length);
        long ticks = (time - DateTime.UnixEpoch).Ticks;
        WriteUInt32((uint)(ticks / TimeSpan.TicksPerSecond));
        long fraction = ticks % TimeSpan.TicksPerSecond;
        WriteUInt32((uint)(_nanoseconds ? fraction * 100 : fraction / 10));
        WriteUInt32(capturedLengthOverride ?? (uint)frame.Length);
        WriteUInt32((uint)(originalLength ?? frame.Length));
        _output.Write(frame);
        return this;
    }

    /// <summary>Writes a record with raw timestamp fields, to test exact sub-second handling.</summary>
    public PcapWriter AddRaw(uint seconds, uint fraction, byte[] frame)
    {
        RecordOffsets.Add(_output.Length);
        WriteUInt32(seconds);
        WriteUInt32(fraction);
        WriteUInt32((uint)frame.Length);
        WriteUInt32((uint)frame.Length);
        _output.Write(frame);
        return this;
    }

    public byte[] ToArray() => _output.ToArray();

    private void WriteUInt16(ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        if (_bigEndian) BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        else BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        _output.Write(bytes);
    }

    private void WriteUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        if (_bigEndian) BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        _output.Write(bytes);
    }
}
