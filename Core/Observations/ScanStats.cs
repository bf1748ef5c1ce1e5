namespace ShadowMcp.Core.Observations;

/// <summary>Counters for one scan. The decode and reassembly layers add to them; nothing reads them on the hot path.</summary>
public sealed class ScanStats
{
    public long Files { get; set; }
    public long Packets { get; set; }
    public long Bytes { get; set; }
    public long Flows { get; set; }
    /// <summary>Packets that could not be decoded (bad lengths, garbage, unsupported inner protocol).</summary>
    public long Malformed { get; set; }
    /// <summary>IPv4 fragments seen; they are counted, not reassembled.</summary>
    public long Fragments { get; set; }
    /// <summary>Flows dropped from the flow table to stay within memory limits.</summary>
    public long FlowEvictions { get; set; }
    /// <summary>Out-of-order segments dropped because a flow's or the total reassembly budget was full.</summary>
    public long SegmentsDropped { get; set; }
    /// <summary>Bytes the reassembler had to skip over (capture loss or a flow picked up mid-stream).</summary>
    public long GapBytes { get; set; }
    public long Observations { get; set; }
    /// <summary>Highest memory the scan's flow state was charged (flows, analyzer buffers, out-of-order bytes).</summary>
    public long MemoryPeakBytes { get; set; }
    /// <summary>Flows evicted by the memory budget, by what they held: closed/passive or UDP entries, half-open
    /// connections, connections whose server sent nothing, and two-way conversations (the last resort).</summary>
    public long EvictedStateless { get; set; }
    public long EvictedHalfOpen { get; set; }
    public long EvictedOneWay { get; set; }
    public long EvictedTwoWay { get; set; }
    /// <summary>Live capture only: packets libpcap received for the sensor (null for files).</summary>
    public long? CaptureReceived { get; set; }
    /// <summary>Live capture only: packets the kernel dropped because the sensor read too slowly.</summary>
    public long? CaptureDropped { get; set; }
    /// <summary>Live capture only: packets the interface or driver dropped before the kernel saw them.</summary>
    public long? CaptureInterfaceDropped { get; set; }
    /// <summary>Parser faults turned into anomalies (each dropped its flow's analyzer); see <see cref="Anomalies"/>.</summary>
    public long AnalyzerFaults { get; set; }

    /// <summary>The first anomalies of the scan, at most <see cref="MaxAnomalies"/>; the rest are only counted.</summary>
    public List<ScanAnomaly> Anomalies { get; } = [];

    /// <summary>Anomalies kept with their details; a flood of hostile flows costs a counter, not memory.</summary>
    public const int MaxAnomalies = 100;

    /// <summary>Counts an anomaly and keeps its details while there is room.</summary>
    public void AddAnomaly(ScanAnomaly anomaly)
    {
        AnalyzerFaults++;
        if (Anomalies.Count < MaxAnomalies) Anomalies.Add(anomaly);
    }
    /// <summary>TLS connections with records decrypted by a key log.</summary>
    public long TlsDecryptedFlows { get; set; }
    /// <summary>TLS connections whose secrets no key log held, or on a cipher suite that cannot be decrypted.</summary>
    public long TlsFlowsWithoutKeys { get; set; }
    /// <summary>TLS records that did not authenticate with the logged keys, or were not TLS records at all.</summary>
    public long TlsBadRecords { get; set; }
    /// <summary>TLS records opened with key-log secrets (decryption successes).</summary>
    public long TlsRecordsDecrypted { get; set; }
    /// <summary>TLS records that did not authenticate with the logged keys (decryption failures).</summary>
    public long TlsRecordsUndecryptable { get; set; }
    /// <summary>TLS connections on a cipher suite the decryptor does not support (CBC, CCM, ...).</summary>
    public long TlsUnsupportedCipherFlows { get; set; }
    /// <summary>Decrypted connections whose application data no analyzer recognised.</summary>
    public long TlsDecryptedUnrecognized { get; set; }
    /// <summary>HTTP/2 frames read, plaintext or decrypted.</summary>
    public long Http2Frames { get; set; }
    /// <summary>HTTP/2 directions stopped (bad preface, a frame or header block over the limit, bad HPACK, a gap).</summary>
    public long Http2Stopped { get; set; }
    /// <summary>HTTP/2 header blocks that were not valid HPACK or asked for a table over the limit.</summary>
    public long Http2HpackErrors { get; set; }
    /// <summary>HTTP/2 header lists over the size limit (HPACK bombs); the stream was dropped.</summary>
    public long Http2HpackBombs { get; set; }
    /// <summary>HTTP/2 streams given up (the least recently active) for a new one on a connection with the maximum open.</summary>
    public long Http2StreamsRefused { get; set; }
    /// <summary>Compressed bodies cut at the size or ratio cap (decompression bombs).</summary>
    public long DecompressionBombs { get; set; }
    /// <summary>Compressed bodies that were not valid gzip, deflate or Brotli.</summary>
    public long CompressedBodiesCorrupt { get; set; }

    /// <summary>
    /// Hits on paths past a server's limit of tracked paths, filed under its <c>addr:port/*</c> endpoint (still
    /// findings, with their evidence, but without their own path): one server answering on many paths, or a flood.
    /// </summary>
    public long EndpointHitsFolded { get; set; }
    /// <summary>Endpoints with finding evidence given up to stay within the endpoint limit: each is a finding lost.</summary>
    public long EndpointsEvicted { get; set; }
    /// <summary>Endpoints with only context evidence given up to stay within the endpoint limit.</summary>
    public long ContextEndpointsEvicted { get; set; }
    /// <summary>Server addresses whose DNS names were given up for newer ones (a long run, or a flood of answers).</summary>
    public long AddressNamesForgotten { get; set; }
    /// <summary>
    /// DNS answers for sanctioned names from servers not on the trusted resolver list, ignored (they could place a
    /// sanctioned name at any address).
    /// </summary>
    public long UntrustedResolverAnswers { get; set; }
    /// <summary>Clients an endpoint stopped listing for a new one, having listed its maximum (the least seen go first).</summary>
    public long ClientsDisplaced { get; set; }
    /// <summary>Names (Host headers, names tied to flows) an endpoint stopped listing for a new one, likewise.</summary>
    public long NamesDisplaced { get; set; }

    public void Add(ScanStats other)
    {
        Files += other.Files; Packets += other.Packets; Bytes += other.Bytes; Flows += other.Flows;
        Malformed += other.Malformed; Fragments += other.Fragments; FlowEvictions += other.FlowEvictions;
        SegmentsDropped += other.SegmentsDropped; GapBytes += other.GapBytes; Observations += other.Observations;
        AnalyzerFaults += other.AnalyzerFaults;
        MemoryPeakBytes = Math.Max(MemoryPeakBytes, other.MemoryPeakBytes);
        EvictedStateless += other.EvictedStateless; EvictedHalfOpen += other.EvictedHalfOpen;
        EvictedOneWay += other.EvictedOneWay; EvictedTwoWay += other.EvictedTwoWay;
        foreach (var anomaly in other.Anomalies)
            if (Anomalies.Count < MaxAnomalies) Anomalies.Add(anomaly);
        TlsDecryptedFlows += other.TlsDecryptedFlows; TlsFlowsWithoutKeys += other.TlsFlowsWithoutKeys;
        TlsBadRecords += other.TlsBadRecords;
        TlsRecordsDecrypted += other.TlsRecordsDecrypted; TlsRecordsUndecryptable += other.TlsRecordsUndecryptable;
        TlsUnsupportedCipherFlows += other.TlsUnsupportedCipherFlows;
        TlsDecryptedUnrecognized += other.TlsDecryptedUnrecognized;
        Http2Frames += other.Http2Frames; Http2Stopped += other.Http2Stopped; Http2HpackErrors += other.Http2HpackErrors;
        Http2HpackBombs += other.Http2HpackBombs; Http2StreamsRefused += other.Http2StreamsRefused;
        DecompressionBombs += other.DecompressionBombs; CompressedBodiesCorrupt += other.CompressedBodiesCorrupt;
        EndpointHitsFolded += other.EndpointHitsFolded; EndpointsEvicted += other.EndpointsEvicted;
        ContextEndpointsEvicted += other.ContextEndpointsEvicted; AddressNamesForgotten += other.AddressNamesForgotten;
        UntrustedResolverAnswers += other.UntrustedResolverAnswers;
        ClientsDisplaced += other.ClientsDisplaced; NamesDisplaced += other.NamesDisplaced;
    }
}
