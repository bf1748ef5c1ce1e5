namespace ShadowMcp.Scanner.Reassembly;

internal enum TcpFlowState : byte
{
    /// <summary>No payload yet: the analyzer is chosen on the first byte.</summary>
    Undecided,
    /// <summary>An analyzer receives the bytes.</summary>
    Analyzing,
    /// <summary>No analyzer wanted the flow, or it has seen enough: packets cost a lookup, nothing is buffered.</summary>
    Passive,
    /// <summary>FIN both ways, RST, or eviction; the analyzer has been closed.</summary>
    Closed,
}
