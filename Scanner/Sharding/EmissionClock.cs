namespace ShadowMcp.Scanner.Sharding;

/// <summary>
/// One shard's position in the capture, set by its worker before each packet and by the flow table while it
/// closes or evicts flows; the recorder stamps every emission with <see cref="Key"/>.
/// </summary>
public sealed class EmissionClock
{
    /// <summary>Sequence number of the packet being handled (<see cref="long.MaxValue"/> at the end of input).</summary>
    public long Packet { get; private set; }

    public EmissionPhase Phase { get; private set; } = EmissionPhase.Packet;

    /// <summary>Last packet of the flow being closed (Expiry), else the packet itself.</summary>
    public long Flow { get; private set; }

    public EmissionKey Key => new(Packet, Phase, Flow);

    /// <summary>Packet <paramref name="sequence"/> starts.</summary>
    public void At(long sequence)
    {
        Packet = sequence;
        Phase = EmissionPhase.Packet;
        Flow = sequence;
    }

    /// <summary>The flow whose last packet was <paramref name="lastPacket"/> is being closed as idle or at the end.</summary>
    internal void Closing(long lastPacket)
    {
        Phase = EmissionPhase.Expiry;
        Flow = lastPacket;
    }

    /// <summary>The idle sweep is over; what follows belongs to the packet's own flow.</summary>
    internal void Resume()
    {
        Phase = EmissionPhase.Packet;
        Flow = Packet;
    }

    /// <summary>The memory budget is evicting flows.</summary>
    internal void Evicting()
    {
        Phase = EmissionPhase.Eviction;
        Flow = Packet;
    }
}
