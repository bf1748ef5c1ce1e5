namespace ShadowMcp.Scanner.Sharding;

/// <summary>The steps of one packet in the flow table, in the order the one-thread scan runs them.</summary>
public enum EmissionPhase
{
    /// <summary>Flows closed because they were idle (or, at the end of input, every flow).</summary>
    Expiry,
    /// <summary>The packet's own flow.</summary>
    Packet,
    /// <summary>Flows evicted to stay within the memory budget.</summary>
    Eviction,
}
