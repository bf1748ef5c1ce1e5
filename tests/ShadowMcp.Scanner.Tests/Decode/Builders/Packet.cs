using System.Buffers.Binary;
using System.Net;
using ShadowMcp.Scanner.Decode;

namespace ShadowMcp.Scanner.Tests.Decode.Builders;

/// <summary>Builds exact link, IP and transport headers for tests. Checksums are left zero (the decoder ignores them).</summary>
internal static class Packet
{
    public const ushort EtherIpv4 = 0x0800;
    public const ushort EtherIpv6 = 0x86DD;

    public static byte[] Tcp(ushort sourcePort, ushort destinationPort, uint sequence, uint acknowledgment, TcpFlags flags,
        byte[]? payload = null, byte[]? options = null)
    {
        options ??= [];
        payload ??= [];
        if (options.Length % 4 != 0) throw new ArgumentException("TCP options must be padded to 4 bytes", nameof(options));
        var segment = new byte[20 + options.Length + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(segment, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(4), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(8), acknowledgment);
        segment[12] = (byte)((20 + options.Length) / 4 << 4);
        segment[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(14), 65535);
        options.CopyTo(segment, 20);
        payload.CopyTo(segment, 20 + options.Length);
        return segment;
    }

    public static byte[] Udp(ushort sourcePort, ushort destinationPort, byte[] payload, ushort? lengthOverride = null)
    {
        var datagram = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), lengthOverride ?? (ushort)datagram.Length);
        payload.CopyTo(datagram, 8);
        return datagram;
    }

    /// <param name="fragmentOffset">In 8-byte units, as on the wire.</param>
    public static byte[] Ipv4(string source, string destination, byte protocol, byte[] payload, ushort fragmentOffset = 0,
        bool moreFragments = false, byte[]? options = null, ushort? totalLengthOverride = null, ushort id = 1)
    {
        options ??= [];
        int headerLength = 20 + options.Length;
        var packet = new byte[headerLength + payload.Length];
        packet[0] = (byte)(0x40 | headerLength / 4);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), totalLengthOverride ?? (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), (ushort)((moreFragments ? 0x2000 : 0) | fragmentOffset));
        packet[8] = 64;
        packet[9] = protocol;
        IPAddress.Parse(source).GetAddressBytes().CopyTo(packet, 12);
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(packet, 16);
        options.CopyTo(packet, 20);
        payload.CopyTo(packet, headerLength);
        return packet;
    }

    /// <param name="payload">Extension headers (see <see cref="Ipv6Extension"/>) followed by the transport bytes.</param>
    public static byte[] Ipv6(string source, string destination, byte nextHeader, byte[] payload)
    {
        var packet = new byte[40 + payload.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)payload.Length);
        packet[6] = nextHeader;
        packet[7] = 64;
        IPAddress.Parse(source).GetAddressBytes().CopyTo(packet, 8);
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(packet, 24);
        payload.CopyTo(packet, 40);
        return packet;
    }

    /// <summary>A hop-by-hop (0), routing (43) or destination options (60) header of 8 * (units + 1) bytes.</summary>
    public static byte[] Ipv6Extension(byte nextHeader, int units = 0)
    {
        var header = new byte[8 * (units + 1)];
        header[0] = nextHeader;
        header[1] = (byte)units;
        header[2] = 1; // PadN option filling the rest
        header[3] = (byte)(header.Length - 4);
        return header;
    }

    /// <summary>An IPv6 fragment header (44). <paramref name="offset"/> in 8-byte units.</summary>
    public static byte[] Ipv6Fragment(byte nextHeader, ushort offset, bool more)
    {
        var header = new byte[8];
        header[0] = nextHeader;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)((offset << 3) | (more ? 1 : 0)));
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 0xABCD);
        return header;
    }

    /// <summary>An authentication header (51) with a 12-byte ICV: (4 + 2) * 4 = 24 bytes.</summary>
    public static byte[] Ipv6AuthenticationHeader(byte nextHeader)
    {
        var header = new byte[24];
        header[0] = nextHeader;
        header[1] = 4;
        return header;
    }

    public static byte[] Ethernet(byte[] network, ushort etherType = EtherIpv4, ushort[]? vlanTags = null, int padding = 0)
    {
        vlanTags ??= [];
        var frame = new byte[14 + 4 * vlanTags.Length + network.Length + padding];
        new byte[] { 2, 0, 0, 0, 0, 2 }.CopyTo(frame, 0);
        new byte[] { 2, 0, 0, 0, 0, 1 }.CopyTo(frame, 6);
        int offset = 12;
        foreach (var tpid in vlanTags)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset), tpid);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset + 2), 100); // VLAN id
            offset += 4;
        }

        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset), etherType);
        network.CopyTo(frame, offset + 2);
        for (int i = 0; i < padding; i++) frame[offset + 2 + network.Length + i] = 0xEE;
        return frame;
    }

    public static byte[] LinuxSll(byte[] network, ushort protocol = EtherIpv4)
    {
        var frame = new byte[16 + network.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, 0);      // packet type: to us
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), 1); // ARPHRD_ETHER
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), protocol);
        network.CopyTo(frame, 16);
        return frame;
    }

    public static byte[] LinuxSll2(byte[] network, ushort protocol = EtherIpv4)
    {
        var frame = new byte[20 + network.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, protocol);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), 3); // interface index
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(8), 1);
        frame[11] = 6;
        network.CopyTo(frame, 20);
        return frame;
    }

    public static byte[] Null(byte[] network, uint family, bool bigEndian)
    {
        var frame = new byte[4 + network.Length];
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(frame, family);
        else BinaryPrimitives.WriteUInt32LittleEndian(frame, family);
        network.CopyTo(frame, 4);
        return frame;
    }
}
