namespace ShadowMcp.Core.Observations;

/// <summary>
/// Something on the wire made a parser fail and its flow was dropped (a Zeek-style "weird"): what failed, on which
/// flow, and where in that direction's byte stream. The scan goes on; the anomaly is reported and counted.
/// </summary>
/// <param name="Name">Stable name of the fault, e.g. <c>HttpAnalyzer.OnData:InvalidOperationException</c>.</param>
/// <param name="Flow">The flow as "client:port -> server:port/protocol" as the reassembler saw it.</param>
/// <param name="Offset">Byte offset in the direction's stream where the failing chunk starts; -1 when none applies.</param>
/// <param name="Time">Capture time of the packet that triggered it.</param>
public sealed record ScanAnomaly(string Name, string Flow, long Offset, DateTime Time)
{
    public override string ToString() => Offset >= 0 ? $"{Name} on {Flow} at stream offset {Offset}" : $"{Name} on {Flow}";
}
