using ShadowMcp.Scanner.Decode;

namespace ShadowMcp.Scanner.Reassembly;

/// <summary>A 5-tuple with the lower endpoint first, so both directions of a flow map to the same key.</summary>
internal readonly struct FlowKey : IEquatable<FlowKey>
{
    private FlowKey(IpAddress lowAddress, ushort lowPort, IpAddress highAddress, ushort highPort, byte protocol)
    {
        LowAddress = lowAddress;
        LowPort = lowPort;
        HighAddress = highAddress;
        HighPort = highPort;
        Protocol = protocol;
    }

    public IpAddress LowAddress { get; }
    public ushort LowPort { get; }
    public IpAddress HighAddress { get; }
    public ushort HighPort { get; }
    public byte Protocol { get; }

    /// <param name="sourceIsLow">True when the packet's source is the key's low endpoint.</param>
    public static FlowKey Create(in DecodedPacket packet, out bool sourceIsLow)
    {
        int order = packet.Source.CompareTo(packet.Destination);
        sourceIsLow = order < 0 || (order == 0 && packet.SourcePort <= packet.DestinationPort);
        return sourceIsLow
            ? new FlowKey(packet.Source, packet.SourcePort, packet.Destination, packet.DestinationPort, packet.Protocol)
            : new FlowKey(packet.Destination, packet.DestinationPort, packet.Source, packet.SourcePort, packet.Protocol);
    }

    public bool Equals(FlowKey other) => LowPort == other.LowPort && HighPort == other.HighPort && Protocol == other.Protocol
        && LowAddress.Equals(other.LowAddress) && HighAddress.Equals(other.HighAddress);

    public override bool Equals(object? obj) => obj is FlowKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(LowAddress, HighAddress, LowPort | (HighPort << 16), Protocol);
}
