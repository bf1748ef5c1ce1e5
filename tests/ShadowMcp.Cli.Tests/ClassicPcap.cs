using System.Buffers.Binary;
using System.Net;

namespace ShadowMcp.Cli.Tests;

/// <summary>The classic pcap format (Ethernet, microseconds) and IPv4 TCP/UDP frames, for captures a test writes frame by frame.</summary>
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

    /// <summary>
    /// One short TCP connection: the handshake, one request and its response in one segment each, and both FINs.
    /// </summary>
    public static void TcpExchange(Stream output, ref DateTime time, string client, ushort clientPort, string server,
        ushort port, byte[] request, byte[] response)
    {
        const uint c = 1000, s = 5000;
        uint sent = (uint)request.Length, answered = (uint)response.Length;
        Record(output, ref time, Tcp(client, clientPort, server, port, c, 0, Syn, []));
        Record(output, ref time, Tcp(server, port, client, clientPort, s, c + 1, Syn | Ack, []));
        Record(output, ref time, Tcp(client, clientPort, server, port, c + 1, s + 1, Ack, []));
        Record(output, ref time, Tcp(client, clientPort, server, port, c + 1, s + 1, Ack | Psh, request));
        Record(output, ref time, Tcp(server, port, client, clientPort, s + 1, c + 1 + sent, Ack | Psh, response));
        Record(output, ref time, Tcp(client, clientPort, server, port, c + 1 + sent, s + 1 + answered, Ack | Fin, []));
        Record(output, ref time, Tcp(server, port, client, clientPort, s + 1 + answered, c + 2 + sent, Ack | Fin, []));
    }

    private const byte Fin = 0x01, Syn = 0x02, Psh = 0x08, Ack = 0x10;

    public static byte[] Tcp(string source, ushort sourcePort, string destination, ushort destinationPort, uint sequence,
        uint acknowledgment, byte flags, byte[] payload)
    {
        var frame = Ip(source, destination, 6, 20 + payload.Length);
        var tcp = frame.AsSpan(14 + 20);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], acknowledgment);
        tcp[12] = 5 << 4;
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65_535);
        payload.CopyTo(tcp[20..]);
        return frame;
    }

    public static byte[] Udp(string source, ushort sourcePort, string destination, ushort destinationPort, byte[] payload)
    {
        var frame = Ip(source, destination, 17, 8 + payload.Length);
        var udp = frame.AsSpan(14 + 20);
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload.Length));
        payload.CopyTo(udp[8..]);
        return frame;
    }

    // Ethernet and IPv4 headers for a transport segment of the given length, which the caller fills in.
    private static byte[] Ip(string source, string destination, byte protocol, int transportLength)
    {
        var frame = new byte[14 + 20 + transportLength];
        frame[5] = 2;
        frame[11] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        var ip = frame.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + transportLength));
        ip[8] = 64;
        ip[9] = protocol;
        IPAddress.Parse(source).GetAddressBytes().CopyTo(ip[12..]);
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(ip[16..]);
        return frame;
    }
}
