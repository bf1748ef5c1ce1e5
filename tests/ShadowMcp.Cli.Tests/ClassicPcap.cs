using System.Buffers.Binary;

namespace ShadowMcp.Cli.Tests;

/// <summary>The classic pcap format (Ethernet, microseconds) for captures a test writes frame by frame.</summary>
internal static class ClassicPcap
{
    public static void Header(Stream output)
    {
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 262_144);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1); // Ethernet
        output.Write(header);
    }

    /// <summary>Writes <paramref name="frame"/> one millisecond after <paramref name="time"/>, and moves it there.</summary>
    public static void Record(Stream output, ref DateTime time, byte[] frame)
    {
        time = time.AddMilliseconds(1);
        var ticks = (time - DateTime.UnixEpoch).Ticks;
        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)(ticks / TimeSpan.TicksPerSecond));
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(ticks % TimeSpan.TicksPerSecond / 10));
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)frame.Length);
        output.Write(header);
        output.Write(frame);
    }
}
