namespace ShadowMcp.Scanner.Analysis;

/// <summary>
/// What the analyzers dropped or could not parse, for scan statistics. Written on the scanning thread only.
/// </summary>
public sealed class AnalyzerCounters
{
    /// <summary>HTTP directions stopped because of a protocol violation or a limit.</summary>
    public long HttpRejected { get; internal set; }

    /// <summary>Times an HTTP direction lost its framing (gap, mid-stream pickup) and scanned for a new message.</summary>
    public long HttpResyncs { get; internal set; }

    /// <summary>SSE events dropped for exceeding the event size limit.</summary>
    public long SseEventsDropped { get; internal set; }

    /// <summary>Bodies or SSE data that looked like JSON but held no complete JSON-RPC message.</summary>
    public long JsonRpcUnparsed { get; internal set; }

    /// <summary>DNS messages that could not be parsed.</summary>
    public long DnsMalformed { get; internal set; }

    /// <summary>TLS flows whose first flight was not a parseable ClientHello.</summary>
    public long TlsNotClientHello { get; internal set; }

    /// <summary>TLS records that were not TLS (bad type, version or length) after the ClientHello, or a bad ServerHello.</summary>
    public long TlsRecordsMalformed { get; internal set; }

    /// <summary>TLS records opened with key-log secrets.</summary>
    public long TlsRecordsDecrypted { get; internal set; }

    /// <summary>TLS records that did not authenticate with the logged keys (wrong keys, corruption); the direction stops.</summary>
    public long TlsRecordsUndecryptable { get; internal set; }

    /// <summary>TLS connections with at least one record decrypted.</summary>
    public long TlsFlowsDecrypted { get; internal set; }

    /// <summary>TLS connections whose secrets the key logs did not hold (or no key log was given).</summary>
    public long TlsFlowsWithoutKeys { get; internal set; }

    /// <summary>TLS connections on a cipher suite the decryptor does not support (CBC, CCM, ...).</summary>
    public long TlsFlowsUnsupportedCipher { get; internal set; }

    /// <summary>Decrypted connections whose application data no analyzer recognised.</summary>
    public long TlsDecryptedUnrecognized { get; internal set; }

    /// <summary>Decrypted connections whose analyzer the negotiated ALPN (h2, http/1.1) chose, without sniffing.</summary>
    public long TlsAlpnChosenAnalyzer { get; internal set; }

    /// <summary>Adds the TLS, HTTP/2 and decompression counts to a scan's statistics.</summary>
    public void AddTo(Core.Observations.ScanStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        stats.TlsDecryptedFlows += TlsFlowsDecrypted;
        stats.TlsFlowsWithoutKeys += TlsFlowsWithoutKeys + TlsFlowsUnsupportedCipher;
        stats.TlsBadRecords += TlsRecordsUndecryptable + TlsRecordsMalformed;
        stats.TlsRecordsDecrypted += TlsRecordsDecrypted;
        stats.TlsRecordsUndecryptable += TlsRecordsUndecryptable;
        stats.TlsUnsupportedCipherFlows += TlsFlowsUnsupportedCipher;
        stats.TlsDecryptedUnrecognized += TlsDecryptedUnrecognized;
        stats.Http2Frames += Http2Frames;
        stats.Http2Stopped += Http2Stopped;
        stats.Http2HpackErrors += Http2HpackErrors;
        stats.Http2HpackBombs += Http2HpackBombs;
        stats.Http2StreamsRefused += Http2StreamsRefused;
        stats.DecompressionBombs += DecompressionBombs;
        stats.CompressedBodiesCorrupt += CompressedBodiesCorrupt;
    }
    /// <summary>HTTP/2 frames read (DATA counted once per frame, whatever its split).</summary>
    public long Http2Frames { get; internal set; }

    /// <summary>HTTP/2 directions stopped: bad preface, a frame or header block over the limit, bad HPACK, a gap.</summary>
    public long Http2Stopped { get; internal set; }

    /// <summary>HTTP/2 header blocks that were not valid HPACK or asked for a table over the limit.</summary>
    public long Http2HpackErrors { get; internal set; }

    /// <summary>HTTP/2 header lists over the size limit (an HPACK bomb): the stream was dropped.</summary>
    public long Http2HpackBombs { get; internal set; }

    /// <summary>
    /// HTTP/2 streams given up because a new one came while the connection had the maximum number open (the one with
    /// no frame for longest goes; the new stream is always analysed).
    /// </summary>
    public long Http2StreamsRefused { get; internal set; }

    /// <summary>Compressed bodies whose decoding stopped at the size or ratio cap (decompression bombs).</summary>
    public long DecompressionBombs { get; internal set; }

    /// <summary>Compressed bodies that were not valid gzip, deflate or Brotli.</summary>
    public long CompressedBodiesCorrupt { get; internal set; }
}
