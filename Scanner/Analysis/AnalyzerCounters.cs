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
}
