using System.Net;
using PacketDotNet;
using ShadowMcp.Scanner.Decode;

namespace ShadowMcp.Scanner.Tests.Decode.Differential;

/// <summary>
/// PacketDotNet as an independent second decoder. It returns the same fields as <see cref="DecodedFields"/>, or null
/// when PacketDotNet finds no TCP or UDP packet (or throws on bytes it cannot parse).
/// </summary>
internal static class ReferenceDecoder
{
    public static DecodedFields? Decode(byte[] frame, int linkType)
    {
        try
        {
            var packet = Packet.ParsePacket((LinkLayers)linkType, frame);
            if (packet.Extract<IPPacket>() is not { } ip) return null;
            if (packet.Extract<TcpPacket>() is { } tcp)
                return Fields(frame, ip, DecodedPacket.Tcp, tcp.SourcePort, tcp.DestinationPort, tcp.SequenceNumber,
                    tcp.AcknowledgmentNumber, Flags(tcp), tcp);
            if (packet.Extract<UdpPacket>() is { } udp)
                return Fields(frame, ip, DecodedPacket.Udp, udp.SourcePort, udp.DestinationPort, 0, 0, TcpFlags.None, udp);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException
                                      or NotImplementedException or OverflowException or NullReferenceException)
        {
            // PacketDotNet throws on some malformed input; the differential compares only what it can decode.
            return null;
        }
    }

    private static DecodedFields Fields(byte[] frame, IPPacket ip, byte protocol, ushort sourcePort,
        ushort destinationPort, uint sequence, uint acknowledgment, TcpFlags flags, Packet transport)
    {
        var payload = transport.PayloadDataSegment;
        if (payload is not null && !ReferenceEquals(payload.Bytes, frame))
            throw new InvalidOperationException("PacketDotNet copied the frame; payload offsets cannot be compared");
        // PacketDotNet reports the length the IP header claims even past the captured bytes; the project keeps what
        // was captured (a snap length cut the frame). The same bound is applied here so only real differences show.
        var length = payload is null ? 0 : Math.Max(0, Math.Min(payload.Length, frame.Length - payload.Offset));
        var offset = length == 0 ? -1 : payload!.Offset;
        return new DecodedFields(Text(ip.SourceAddress), Text(ip.DestinationAddress), protocol, sourcePort,
            destinationPort, sequence, acknowledgment, flags, offset, length);
    }

    // Both sides print addresses through System.Net.IPAddress, so the same address gives the same text.
    private static string Text(IPAddress address) => address.ToString();

    private static TcpFlags Flags(TcpPacket tcp) =>
        (tcp.Finished ? TcpFlags.Fin : 0) | (tcp.Synchronize ? TcpFlags.Syn : 0) | (tcp.Reset ? TcpFlags.Rst : 0)
        | (tcp.Push ? TcpFlags.Psh : 0) | (tcp.Acknowledgment ? TcpFlags.Ack : 0) | (tcp.Urgent ? TcpFlags.Urg : 0);
}
