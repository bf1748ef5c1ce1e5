using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Serialization;

namespace ShadowMcp.Cli.Fleet;

/// <summary>
/// What one capture produced, as a remote sensor sends it to <c>serve</c>: the same call a local store gets
/// (<see cref="Core.Store.IScanResultSink"/>). <see cref="Key"/> names the capture (a file's SHA-256, a live session's
/// id); sending a key again replaces what it contributed, and the centre keeps the copy with the latest
/// <see cref="ScannedAt"/>, so a late replay of an older snapshot never overwrites a newer one. <see cref="Sequence"/> is
/// the sensor's spool order (and the spool file's name). A snapshot too large for one body is sent as
/// <see cref="Parts"/> batches (<see cref="SensorBatchParts"/>): part 1 replaces the capture, later parts of the same
/// snapshot (same key and <see cref="ScannedAt"/>) add their endpoints to it, each replacing only its own.
/// </summary>
public sealed record SensorBatch
{
    public required string Sensor { get; init; }
    public required string Source { get; init; }
    public required string Key { get; init; }
    public long Sequence { get; init; }
    public DateTime ScannedAt { get; init; }
    public long Size { get; init; }
    public string? Error { get; init; }
    public required SensorBatchStats Stats { get; init; }
    public required IReadOnlyList<FindingDocument> Findings { get; init; }
    /// <summary>This body's place among the parts of its snapshot, from 1 (absent in old senders' bodies: 1 of 1).</summary>
    public int Part { get; init; } = 1;
    public int Parts { get; init; } = 1;
}

/// <summary>
/// The counters the store keeps per capture. The detection-limit counters (hits folded, endpoints given up, names and
/// clients displaced, untrusted answers ignored) came later: a body from an older sensor leaves them out and they read 0.
/// </summary>
public sealed record SensorBatchStats(long Packets, long Bytes, long Flows, long Malformed, long AnalyzerFaults,
    long? CaptureReceived, long? CaptureDropped, long? CaptureInterfaceDropped,
    long EndpointHitsFolded = 0, long EndpointsEvicted = 0, long ContextEndpointsEvicted = 0, long AddressNamesForgotten = 0,
    long UntrustedResolverAnswers = 0, long ClientsDisplaced = 0, long NamesDisplaced = 0)
{
    public static SensorBatchStats From(ScanStats s) => new(s.Packets, s.Bytes, s.Flows, s.Malformed, s.AnalyzerFaults,
        s.CaptureReceived, s.CaptureDropped, s.CaptureInterfaceDropped,
        s.EndpointHitsFolded, s.EndpointsEvicted, s.ContextEndpointsEvicted, s.AddressNamesForgotten,
        s.UntrustedResolverAnswers, s.ClientsDisplaced, s.NamesDisplaced);

    public ScanStats ToStats() => new()
    {
        Packets = Packets, Bytes = Bytes, Flows = Flows, Malformed = Malformed, AnalyzerFaults = AnalyzerFaults,
        CaptureReceived = CaptureReceived, CaptureDropped = CaptureDropped, CaptureInterfaceDropped = CaptureInterfaceDropped,
        EndpointHitsFolded = EndpointHitsFolded, EndpointsEvicted = EndpointsEvicted,
        ContextEndpointsEvicted = ContextEndpointsEvicted, AddressNamesForgotten = AddressNamesForgotten,
        UntrustedResolverAnswers = UntrustedResolverAnswers, ClientsDisplaced = ClientsDisplaced, NamesDisplaced = NamesDisplaced,
    };

    /// <summary>The name of the first counter below zero, or null: a sensor cannot have lost a negative number of anything.</summary>
    public string? FirstNegative()
    {
        (string Name, long? Value)[] counters =
        [
            ("packets", Packets), ("bytes", Bytes), ("flows", Flows), ("malformed", Malformed), ("analyzerFaults", AnalyzerFaults),
            ("captureReceived", CaptureReceived), ("captureDropped", CaptureDropped), ("captureInterfaceDropped", CaptureInterfaceDropped),
            ("endpointHitsFolded", EndpointHitsFolded), ("endpointsEvicted", EndpointsEvicted),
            ("contextEndpointsEvicted", ContextEndpointsEvicted), ("addressNamesForgotten", AddressNamesForgotten),
            ("untrustedResolverAnswers", UntrustedResolverAnswers), ("clientsDisplaced", ClientsDisplaced),
            ("namesDisplaced", NamesDisplaced),
        ];
        foreach (var (name, value) in counters)
            if (value < 0) return name;
        return null;
    }
}
