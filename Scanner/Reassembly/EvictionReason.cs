namespace ShadowMcp.Scanner.Reassembly;

/// <summary>Why the memory budget evicted a flow, from least to most evidence lost; evictions are counted by it.</summary>
internal enum EvictionReason
{
    /// <summary>A closed or passive TCP flow, or a UDP flow: only its table entry.</summary>
    Stateless,

    /// <summary>The responder never sent a packet (SYN floods, scans, dead servers).</summary>
    HalfOpen,

    /// <summary>The responder answered but sent no payload yet.</summary>
    OneWay,

    /// <summary>Both sides sent data: a real conversation, evicted only when nothing cheaper is left.</summary>
    TwoWay,
}
