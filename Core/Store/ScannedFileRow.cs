namespace ShadowMcp.Core.Store;

/// <summary>One capture file the store has results for, identified by content (SHA-256), not by name.</summary>
public sealed class ScannedFileRow
{
    public long Id { get; set; }
    public required string Sha256 { get; set; }
    public required string Path { get; set; }
    public long Size { get; set; }
    public DateTime ScannedAt { get; set; }
    public long Packets { get; set; }
    public long Bytes { get; set; }
    public long Flows { get; set; }
    public long Malformed { get; set; }
    /// <summary>Parser faults that dropped a flow (see ScanStats.AnalyzerFaults).</summary>
    public long AnalyzerFaults { get; set; }
    /// <summary>Live capture sessions only: libpcap's counters at the last flush.</summary>
    public long? CaptureReceived { get; set; }
    public long? CaptureDropped { get; set; }
    public long? CaptureInterfaceDropped { get; set; }
    /// <summary>
    /// What the detection limits cost in this capture (see the same counters in ScanStats): a finding given up, hits
    /// filed without their own path, names or clients no longer listed, answers for sanctioned names ignored. Zero in
    /// captures saved before these columns existed.
    /// </summary>
    public long EndpointHitsFolded { get; set; }
    public long EndpointsEvicted { get; set; }
    public long ContextEndpointsEvicted { get; set; }
    public long AddressNamesForgotten { get; set; }
    public long UntrustedResolverAnswers { get; set; }
    public long ClientsDisplaced { get; set; }
    public long NamesDisplaced { get; set; }
    /// <summary>Null when the whole file was read; else why reading stopped (the findings before it are kept).</summary>
    public string? Error { get; set; }
}
