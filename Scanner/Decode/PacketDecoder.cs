using System.Buffers.Binary;
using ShadowMcp.Scanner.Capture;

namespace ShadowMcp.Scanner.Decode;

/// <summary>Decodes a frame's link layer and hands the network layer to <see cref="InternetDecoder"/>.</summary>
internal static class PacketDecoder
{
    private const ushort EtherTypeIpv4 = 0x0800;
    private const ushort EtherTypeIpv6 = 0x86DD;
    private const ushort EtherTypeVlan = 0x8100;
    private const ushort EtherTypeQinQ = 0x88A8;
    private const ushort EtherTypeQinQLegacy = 0x9100;
    private const int MaxVlanTags = 8;

    /// <summary>Decodes <paramref name="frame"/> of the given LINKTYPE_ value. Never throws for bad bytes.</summary>
    public static DecodeStatus Decode(ReadOnlySpan<byte> frame, int linkType, out DecodedPacket packet)
    {
        packet = default;
        switch (linkType)
        {
            case LinkTypes.Ethernet:
                return DecodeEthernet(frame, ref packet);
            case LinkTypes.LinuxSll:
                return frame.Length < 16
                    ? DecodeStatus.Malformed
                    : DecodeEtherType(BinaryPrimitives.ReadUInt16BigEndian(frame[14..]), frame[16..], ref packet);
            case LinkTypes.LinuxSll2:
                return frame.Length < 20
                    ? DecodeStatus.Malformed
                    : DecodeEtherType(BinaryPrimitives.ReadUInt16BigEndian(frame), frame[20..], ref packet);
            case LinkTypes.Raw:
            case LinkTypes.RawBsd12:
            case LinkTypes.RawOpenBsd14:
            case LinkTypes.Ipv4:
            case LinkTypes.Ipv6:
                return DecodeRaw(frame, ref packet);
            case LinkTypes.Null:
            case LinkTypes.Loop:
                return DecodeNull(frame, ref packet);
            default:
                return DecodeStatus.Ignored;
        }
    }

    private static DecodeStatus DecodeEthernet(ReadOnlySpan<byte> frame, ref DecodedPacket packet)
    {
        if (frame.Length < 14) return DecodeStatus.Malformed;
        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        int offset = 14;
        for (int tags = 0; etherType is EtherTypeVlan or EtherTypeQinQ or EtherTypeQinQLegacy; tags++)
        {
            if (tags == MaxVlanTags || frame.Length < offset + 4) return DecodeStatus.Malformed;
            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 2)..]);
            offset += 4;
        }

        return DecodeEtherType(etherType, frame[offset..], ref packet);
    }

    private static DecodeStatus DecodeEtherType(ushort etherType, ReadOnlySpan<byte> network, ref DecodedPacket packet) => etherType switch
    {
        EtherTypeIpv4 => InternetDecoder.DecodeIpv4(network, ref packet),
        EtherTypeIpv6 => InternetDecoder.DecodeIpv6(network, ref packet),
        _ => DecodeStatus.Ignored,
    };

    private static DecodeStatus DecodeRaw(ReadOnlySpan<byte> frame, ref DecodedPacket packet)
    {
        if (frame.IsEmpty) return DecodeStatus.Malformed;
        return (frame[0] >> 4) switch
        {
            4 => InternetDecoder.DecodeIpv4(frame, ref packet),
            6 => InternetDecoder.DecodeIpv6(frame, ref packet),
            _ => DecodeStatus.Malformed,
        };
    }

    /// <summary>
    /// BSD null/loop: a 4-byte address family, in the capturing host's byte order for null and network order
    /// for loop; both orders are accepted since files travel between machines.
    /// </summary>
    private static DecodeStatus DecodeNull(ReadOnlySpan<byte> frame, ref DecodedPacket packet)
    {
        if (frame.Length < 4) return DecodeStatus.Malformed;
        uint family = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (family > 0xFFFF) family = BinaryPrimitives.ReverseEndianness(family);
        return family switch
        {
            2 => InternetDecoder.DecodeIpv4(frame[4..], ref packet),
            24 or 28 or 30 => InternetDecoder.DecodeIpv6(frame[4..], ref packet),
            _ => DecodeStatus.Ignored,
        };
    }
}
