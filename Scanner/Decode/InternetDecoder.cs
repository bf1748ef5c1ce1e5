using System.Buffers.Binary;

namespace ShadowMcp.Scanner.Decode;

/// <summary>IPv4, IPv6 (with extension headers), TCP and UDP.</summary>
internal static class InternetDecoder
{
    private const byte HopByHop = 0;
    private const byte Routing = 43;
    private const byte FragmentHeader = 44;
    private const byte Esp = 50;
    private const byte AuthenticationHeader = 51;
    private const byte NoNextHeader = 59;
    private const byte DestinationOptions = 60;
    private const int MaxExtensionHeaders = 16;

    public static DecodeStatus DecodeIpv4(ReadOnlySpan<byte> ip, ref DecodedPacket packet)
    {
        if (ip.Length < 20 || ip[0] >> 4 != 4) return DecodeStatus.Malformed;
        int headerLength = (ip[0] & 0x0F) * 4;
        if (headerLength < 20 || headerLength > ip.Length) return DecodeStatus.Malformed;

        // Total length 0 appears in captures of TCP segmentation offload: trust the captured bytes then.
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if (totalLength == 0) totalLength = ip.Length;
        else if (totalLength < headerLength) return DecodeStatus.Malformed;

        ushort fragmentField = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
        bool moreFragments = (fragmentField & 0x2000) != 0;
        int fragmentOffset = fragmentField & 0x1FFF;

        packet.Source = IpAddress.FromIpv4(ip[12..]);
        packet.Destination = IpAddress.FromIpv4(ip[16..]);
        if (fragmentOffset != 0) return DecodeStatus.Fragment;

        packet.IsFragment = moreFragments;
        return DecodeTransport(ip[9], ip[headerLength..Math.Min(totalLength, ip.Length)], ref packet);
    }

    public static DecodeStatus DecodeIpv6(ReadOnlySpan<byte> ip, ref DecodedPacket packet)
    {
        if (ip.Length < 40 || ip[0] >> 4 != 6) return DecodeStatus.Malformed;
        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        // Payload length 0 means a jumbogram (or offload): trust the captured bytes.
        int end = payloadLength == 0 ? ip.Length : Math.Min(40 + payloadLength, ip.Length);
        packet.Source = IpAddress.FromIpv6(ip[8..]);
        packet.Destination = IpAddress.FromIpv6(ip[24..]);

        byte next = ip[6];
        int offset = 40;
        for (int headers = 0; ; headers++)
        {
            if (headers == MaxExtensionHeaders) return DecodeStatus.Malformed;
            switch (next)
            {
                case HopByHop:
                case Routing:
                case DestinationOptions:
                    if (offset + 8 > end) return DecodeStatus.Malformed;
                    next = ip[offset];
                    offset += (ip[offset + 1] + 1) * 8;
                    break;
                case AuthenticationHeader:
                    if (offset + 8 > end) return DecodeStatus.Malformed;
                    next = ip[offset];
                    offset += (ip[offset + 1] + 2) * 4;
                    break;
                case FragmentHeader:
                    if (offset + 8 > end) return DecodeStatus.Malformed;
                    ushort fragmentField = BinaryPrimitives.ReadUInt16BigEndian(ip[(offset + 2)..]);
                    next = ip[offset];
                    offset += 8;
                    if ((fragmentField & 0xFFF8) != 0) return DecodeStatus.Fragment;
                    packet.IsFragment = (fragmentField & 1) != 0;
                    break;
                case Esp:
                case NoNextHeader:
                    return DecodeStatus.Ignored;
                default:
                    if (offset > end) return DecodeStatus.Malformed;
                    return DecodeTransport(next, ip[offset..end], ref packet);
            }

            if (offset > end) return DecodeStatus.Malformed;
        }
    }

    private static DecodeStatus DecodeTransport(byte protocol, ReadOnlySpan<byte> segment, ref DecodedPacket packet)
    {
        // A first fragment whose transport header is cut is a fragment, not garbage.
        var tooShort = packet.IsFragment ? DecodeStatus.Fragment : DecodeStatus.Malformed;
        switch (protocol)
        {
            case DecodedPacket.Tcp:
            {
                if (segment.Length < 20) return tooShort;
                int dataOffset = (segment[12] >> 4) * 4;
                if (dataOffset < 20) return DecodeStatus.Malformed;
                if (dataOffset > segment.Length) return tooShort;
                packet.Protocol = DecodedPacket.Tcp;
                packet.SourcePort = BinaryPrimitives.ReadUInt16BigEndian(segment);
                packet.DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(segment[2..]);
                packet.Sequence = BinaryPrimitives.ReadUInt32BigEndian(segment[4..]);
                packet.Acknowledgment = BinaryPrimitives.ReadUInt32BigEndian(segment[8..]);
                packet.Flags = (TcpFlags)segment[13];
                packet.Payload = segment[dataOffset..];
                return DecodeStatus.Transport;
            }
            case DecodedPacket.Udp:
            {
                if (segment.Length < 8) return tooShort;
                int length = BinaryPrimitives.ReadUInt16BigEndian(segment[4..]);
                if (length == 0) length = segment.Length; // IPv6 jumbogram
                else if (length < 8) return DecodeStatus.Malformed;
                packet.Protocol = DecodedPacket.Udp;
                packet.SourcePort = BinaryPrimitives.ReadUInt16BigEndian(segment);
                packet.DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(segment[2..]);
                packet.Payload = segment[8..Math.Min(length, segment.Length)];
                return DecodeStatus.Transport;
            }
            default:
                return DecodeStatus.Ignored;
        }
    }
}
