using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ShadowMcp.Scanner.Decode;

namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// A frame as the reader decoded it to find its shard, kept in the batch beside the frame's bytes (the payload as an
/// offset into them), so the worker that owns the packet hands it to its flow table without decoding it again.
/// </summary>
internal struct DecodedFrame
{
    public DecodeStatus Status;
    public IpAddress Source;
    public IpAddress Destination;
    public uint Sequence;
    public uint Acknowledgment;
    public int PayloadOffset;
    public int PayloadLength;
    public ushort SourcePort;
    public ushort DestinationPort;
    public byte Protocol;
    public TcpFlags Flags;
    public bool IsFragment;

    /// <summary>True when the packet reaches a flow table (TCP always, UDP unless a first fragment), as in <c>PacketProcessor</c>.</summary>
    public readonly bool ReachesFlows => Status == DecodeStatus.Transport && (Protocol == DecodedPacket.Tcp || !IsFragment);

    /// <summary>
    /// Decodes <paramref name="frame"/> once into <paramref name="decoded"/>; <paramref name="packet"/> is the result,
    /// valid while the frame is. Written in place: the struct holds no reference, so storing it is a plain copy.
    /// </summary>
    /// <returns>What decoding threw (the owner counts it as <c>PacketProcessor</c> counts a fault of its own decode), or null.</returns>
    public static Exception? Decode(ReadOnlySpan<byte> frame, int linkType, out DecodedFrame decoded, out DecodedPacket packet)
    {
        decoded = default;
        try
        {
            decoded.Status = PacketDecoder.Decode(frame, linkType, out packet);
        }
        catch (Exception ex)
        {
            packet = default;
            decoded.Status = DecodeStatus.Malformed;
            return ex;
        }
        if (decoded.Status != DecodeStatus.Transport) return null;
        decoded.Source = packet.Source;
        decoded.Destination = packet.Destination;
        decoded.Sequence = packet.Sequence;
        decoded.Acknowledgment = packet.Acknowledgment;
        decoded.SourcePort = packet.SourcePort;
        decoded.DestinationPort = packet.DestinationPort;
        decoded.Protocol = packet.Protocol;
        decoded.Flags = packet.Flags;
        decoded.IsFragment = packet.IsFragment;
        decoded.PayloadLength = packet.Payload.Length;
        // The decoder's payload is always a slice of the frame.
        decoded.PayloadOffset = packet.Payload.IsEmpty ? 0 : (int)Unsafe.ByteOffset(
            ref MemoryMarshal.GetReference(frame), ref MemoryMarshal.GetReference(packet.Payload));
        return null;
    }

    /// <summary>The decoded packet again, its payload pointing into <paramref name="frame"/> (the same bytes, copied).</summary>
    public readonly DecodedPacket ToPacket(ReadOnlySpan<byte> frame) => new()
    {
        Source = Source,
        Destination = Destination,
        Protocol = Protocol,
        SourcePort = SourcePort,
        DestinationPort = DestinationPort,
        Sequence = Sequence,
        Acknowledgment = Acknowledgment,
        Flags = Flags,
        Payload = frame.Slice(PayloadOffset, PayloadLength),
        IsFragment = IsFragment,
    };
}
