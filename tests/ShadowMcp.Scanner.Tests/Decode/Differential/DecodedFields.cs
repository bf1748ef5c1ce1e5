using ShadowMcp.Scanner.Decode;

namespace ShadowMcp.Scanner.Tests.Decode.Differential;

/// <summary>
/// What two decoders must agree on for one TCP or UDP packet: addresses, ports, TCP sequence numbers and flags, and
/// the payload's bounds (its offset in the frame and its length). Comparable as a value.
/// </summary>
internal sealed record DecodedFields(
    string Source, string Destination, byte Protocol, ushort SourcePort, ushort DestinationPort,
    uint Sequence, uint Acknowledgment, TcpFlags Flags, int PayloadOffset, int PayloadLength)
{
    /// <summary>Copies the project's decoder output; the payload offset is found from where its span starts.</summary>
    public static DecodedFields From(ReadOnlySpan<byte> frame, in DecodedPacket packet)
    {
        var offset = packet.Payload.IsEmpty ? -1 : OffsetIn(frame, packet.Payload);
        return new DecodedFields(packet.Source.ToString(), packet.Destination.ToString(), packet.Protocol,
            packet.SourcePort, packet.DestinationPort, packet.Sequence, packet.Acknowledgment, packet.Flags & KnownFlags,
            offset, packet.Payload.Length);
    }

    /// <summary>The six classic flags; ECE/CWR are not part of <see cref="TcpFlags"/>.</summary>
    public const TcpFlags KnownFlags = TcpFlags.Fin | TcpFlags.Syn | TcpFlags.Rst | TcpFlags.Psh | TcpFlags.Ack | TcpFlags.Urg;

    private static int OffsetIn(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> part)
    {
        if (!frame.Overlaps(part, out var offset)) throw new InvalidOperationException("the payload is not inside the frame");
        return offset;
    }
}
