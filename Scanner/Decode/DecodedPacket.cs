namespace ShadowMcp.Scanner.Decode;

/// <summary>The fields of one TCP or UDP packet that flows need. The payload points into the frame.</summary>
internal ref struct DecodedPacket
{
    public const byte Tcp = 6;
    public const byte Udp = 17;

    public IpAddress Source;
    public IpAddress Destination;
    /// <summary><see cref="Tcp"/> or <see cref="Udp"/>.</summary>
    public byte Protocol;
    public ushort SourcePort;
    public ushort DestinationPort;
    public uint Sequence;
    public uint Acknowledgment;
    public TcpFlags Flags;
    /// <summary>Transport payload bounded by the IP (and UDP) lengths, not by link-layer padding.</summary>
    public ReadOnlySpan<byte> Payload;
    /// <summary>The first fragment of a fragmented IP packet: the payload holds only its first part.</summary>
    public bool IsFragment;
}
