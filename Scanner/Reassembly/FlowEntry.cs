using ShadowMcp.Scanner.Decode;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Reassembly;

/// <summary>A flow table entry; linked into the table's least-recently-active list.</summary>
internal abstract class FlowEntry(FlowKey key, bool initiatorIsLow)
{
    public FlowKey Key { get; } = key;

    /// <summary>True when the key's low endpoint started the flow.</summary>
    public bool InitiatorIsLow { get; } = initiatorIsLow;

    /// <summary>Capture time of the flow's latest packet.</summary>
    public DateTime LastSeen { get; set; }

    /// <summary>
    /// Sequence number (in the capture) of the flow's latest packet: flows leaving the table at the same moment are
    /// reported in this order, one thread or sharded alike.
    /// </summary>
    public long LastPacket { get; set; }

    /// <summary>
    /// The capture's clock (the latest time any packet carried so far) at the flow's latest packet. Flows age on this
    /// clock, not on their own packets' times: a capture whose times step back then expires flows in the order of
    /// their last packets, so one flow table and the shards of a sharded scan expire the same flows at the same packet.
    /// </summary>
    public DateTime LastClock { get; set; }

    /// <summary>Capture time of the flow's first packet.</summary>
    public DateTime FirstSeen { get; set; }

    /// <summary>Packets and payload bytes each way, for the flow log.</summary>
    public long PacketsFromInitiator, BytesFromInitiator, PacketsFromResponder, BytesFromResponder;

    public void Count(bool fromInitiator, int payloadBytes)
    {
        if (fromInitiator) { PacketsFromInitiator++; BytesFromInitiator += payloadBytes; }
        else { PacketsFromResponder++; BytesFromResponder += payloadBytes; }
    }

    /// <summary>The flow as the flow log reports it.</summary>
    public FlowSummary Summarize()
    {
        var initiator = InitiatorIsLow ? Key.LowAddress : Key.HighAddress;
        var responder = InitiatorIsLow ? Key.HighAddress : Key.LowAddress;
        return new FlowSummary(initiator.ToString(), InitiatorIsLow ? Key.LowPort : Key.HighPort,
            responder.ToString(), InitiatorIsLow ? Key.HighPort : Key.LowPort, Key.Protocol == 17 ? "udp" : "tcp",
            FirstSeen, LastSeen, PacketsFromInitiator, BytesFromInitiator, PacketsFromResponder, BytesFromResponder);
    }

    /// <summary>False once a TCP connection closed; the entry then only absorbs stray packets until it expires.</summary>
    public abstract bool IsOpen { get; }

    /// <summary>Bytes charged to the memory budget for this entry (its objects and analyzer, not out-of-order bytes).</summary>
    internal long Charged { get; set; }

    /// <summary>What this flow should be charged now; see <see cref="FlowMemory"/>.</summary>
    internal virtual long MemoryCost(ReassemblyOptions options) => FlowMemory.EntryBytes;

    /// <summary>Out-of-order bytes held for this flow (charged through the reassembly budget).</summary>
    internal virtual long PendingBytes => 0;

    /// <summary>How much evidence losing this flow would cost; the lowest class is evicted first.</summary>
    internal virtual EvictionReason EvictionClass => EvictionReason.Stateless;

    internal FlowEntry? Older { get; set; }
    internal FlowEntry? Newer { get; set; }
    /// <summary>The recency list holding the entry (open or closed flows), null once it left the table.</summary>
    internal FlowRecency? List { get; set; }

    /// <summary>The key's hash and the next entry of its bucket in the table's <see cref="FlowIndex"/>.</summary>
    internal int Hash;
    internal FlowEntry? NextInBucket;

    /// <summary>Ends the flow: flushes buffered data and tells the analyzer (once).</summary>
    public abstract void Close(DateTime time);

    /// <summary>Builds the text form of the endpoints; called once per flow that an analyzer sees.</summary>
    protected FlowEndpoints CreateEndpoints(string protocol)
    {
        var initiator = InitiatorIsLow ? Key.LowAddress : Key.HighAddress;
        var responder = InitiatorIsLow ? Key.HighAddress : Key.LowAddress;
        int initiatorPort = InitiatorIsLow ? Key.LowPort : Key.HighPort;
        int responderPort = InitiatorIsLow ? Key.HighPort : Key.LowPort;
        return new FlowEndpoints(AddressText.Of(initiator), initiatorPort, AddressText.Of(responder), responderPort, protocol);
    }
}
