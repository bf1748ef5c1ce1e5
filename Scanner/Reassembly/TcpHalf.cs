namespace ShadowMcp.Scanner.Reassembly;

/// <summary>
/// One direction of a TCP connection: the next expected sequence number, FIN and pending segments. A closed flow's
/// halves go back to its scan's <see cref="TcpHalfPool"/> and are <see cref="Reset"/> for a later flow.
/// </summary>
internal sealed class TcpHalf(bool fromInitiator)
{
    /// <summary>What a closed flow points at once its halves went back to the pool: never written.</summary>
    public static readonly TcpHalf Released = new(true);

    public bool FromInitiator { get; private set; } = fromInitiator;

    /// <summary>False until a SYN, SYN-ACK or first segment tells where the stream starts.</summary>
    public bool Initialized { get; private set; }

    /// <summary>Sequence number of the next byte to deliver (32-bit, wraps).</summary>
    public uint Next { get; set; }

    public bool FinSeen { get; set; }

    /// <summary>This side sent payload at least once.</summary>
    public bool SawData { get; set; }

    /// <summary>Sequence number of the FIN: the stream ends before it.</summary>
    public uint FinSequence { get; set; }

    /// <summary>Every byte up to the FIN was delivered (or given up), or the flow stopped tracking bytes.</summary>
    public bool Finished { get; set; }

    /// <summary>Bytes given up before the flow had an analyzer; reported to it when it is created.</summary>
    public long UnreportedGap { get; set; }

    public PendingSegments? Pending { get; set; }

    public int PendingBytes => Pending?.Bytes ?? 0;

    /// <summary>Sequence number of the stream's first byte, so a fault can name its offset in the stream.</summary>
    public uint Origin { get; private set; }

    /// <summary>Offset in the stream of the byte at <paramref name="sequence"/> (32-bit, so it wraps after 4 GiB).</summary>
    public long OffsetOf(uint sequence) => (uint)(sequence - Origin);

    /// <summary>Back to the state of a new half, for a flow that has just begun (its pending list kept, and empty).</summary>
    public TcpHalf Reset(bool fromInitiator)
    {
        FromInitiator = fromInitiator;
        Initialized = false;
        Next = 0;
        FinSeen = false;
        SawData = false;
        FinSequence = 0;
        Finished = false;
        UnreportedGap = 0;
        Origin = 0;
        Pending?.Clear();
        return this;
    }

    public void Start(uint next)
    {
        Initialized = true;
        Next = next;
        Origin = next;
    }
}
