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

    /// <summary>Adds the TLS counts to a scan's statistics.</summary>
    public void AddTlsTo(Core.Observations.ScanStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        stats.TlsDecryptedFlows += TlsFlowsDecrypted;
        stats.TlsFlowsWithoutKeys += TlsFlowsWithoutKeys + TlsFlowsUnsupportedCipher;
        stats.TlsBadRecords += TlsRecordsUndecryptable + TlsRecordsMalformed;
    }
}
