using ShadowMcp.Core.Observations.JsonRpc;

namespace ShadowMcp.Scanner.Analysis;

/// <summary>
/// Limits for the protocol analyzers. Every buffer an analyzer keeps is bounded by one of these, so hostile
/// traffic costs bounded memory per connection. Defaults follow Kestrel (8 KiB line, 64 KiB head, 100 headers).
/// </summary>
public sealed class AnalyzerOptions
{
    public static AnalyzerOptions Default { get; } = new();

    /// <summary>Longest HTTP start line, header line or chunk-size line.</summary>
    public int MaxLineBytes { get; init; } = 8 * 1024;

    /// <summary>Longest HTTP head (start line and headers) and longest chunked trailer block.</summary>
    public int MaxHeadBytes { get; init; } = 64 * 1024;

    public int MaxHeaders { get; init; } = 100;

    /// <summary>Bytes of a body kept as the text field <c>body</c> (and of SSE data as <c>data</c>).</summary>
    public int BodyTextBytes { get; init; } = 4 * 1024;

    /// <summary>Bytes of a body kept for JSON-RPC parsing; the rest is only counted.</summary>
    public int JsonPrefixBytes { get; init; } = 64 * 1024;

    /// <summary>Largest SSE event (its data and field lines); larger events are dropped and counted.</summary>
    public int MaxSseEventBytes { get; init; } = 64 * 1024;

    /// <summary>Requests waiting for their response on one connection (pipelining).</summary>
    public int MaxPendingRequests { get; init; } = 64;

    /// <summary>JSON-RPC request ids remembered per connection to name the method of a response.</summary>
    public int MaxPendingJsonRpcIds { get; init; } = 1024;

    /// <summary>Container depth below <c>params</c>/<c>result</c>/<c>error</c> that is flattened into fields.</summary>
    public int JsonMaxDepth { get; init; } = JsonRpcLimits.Default.MaxDepth;

    public int JsonMaxFields { get; init; } = JsonRpcLimits.Default.MaxFields;

    public int JsonMaxStringChars { get; init; } = JsonRpcLimits.Default.MaxStringChars;

    /// <summary>Bytes of a TLS connection's first flight buffered to find the ClientHello.</summary>
    public int TlsMaxClientHelloBytes { get; init; } = 16 * 1024;

    /// <summary>Application-data records per direction whose size and time a TLS flow summary keeps.</summary>
    public int TlsRecordShapesPerDirection { get; init; } = 32;
    /// <summary>Largest HTTP/2 frame other than DATA that is buffered (DATA streams through at any size).</summary>
    public int Http2MaxFrameBytes { get; init; } = 64 * 1024;

    /// <summary>Largest HPACK dynamic table a peer may ask for. Header blocks and lists are bounded by MaxHeadBytes.</summary>
    public int Http2MaxTableBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Open HTTP/2 streams per connection; a new stream past it takes the place of the one with no frame for longest,
    /// which is given up (its messages end incomplete) and counted.
    /// </summary>
    public int Http2MaxStreams { get; init; } = 128;

    /// <summary>Decoded bytes of one compressed body or event stream before decoding stops (a bomb, counted).</summary>
    public long MaxDecodedBodyBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest ratio of decoded to encoded bytes, judged past the first 64 KiB (a bomb, counted).</summary>
    public int MaxDecompressionRatio { get; init; } = 100;

    internal void Validate()
    {
        Positive(MaxLineBytes, nameof(MaxLineBytes));
        Positive(MaxHeadBytes, nameof(MaxHeadBytes));
        Positive(MaxHeaders, nameof(MaxHeaders));
        Positive(BodyTextBytes, nameof(BodyTextBytes));
        Positive(JsonPrefixBytes, nameof(JsonPrefixBytes));
        Positive(MaxSseEventBytes, nameof(MaxSseEventBytes));
        Positive(MaxPendingRequests, nameof(MaxPendingRequests));
        Positive(MaxPendingJsonRpcIds, nameof(MaxPendingJsonRpcIds));
        Positive(JsonMaxDepth, nameof(JsonMaxDepth));
        Positive(JsonMaxFields, nameof(JsonMaxFields));
        Positive(JsonMaxStringChars, nameof(JsonMaxStringChars));
        Positive(TlsMaxClientHelloBytes, nameof(TlsMaxClientHelloBytes));
        Positive(TlsRecordShapesPerDirection, nameof(TlsRecordShapesPerDirection));
        Positive(Http2MaxFrameBytes, nameof(Http2MaxFrameBytes));
        Positive(Http2MaxTableBytes, nameof(Http2MaxTableBytes));
        Positive(Http2MaxStreams, nameof(Http2MaxStreams));
        Positive(MaxDecompressionRatio, nameof(MaxDecompressionRatio));
        if (MaxDecodedBodyBytes <= 0)
            throw new ArgumentOutOfRangeException(nameof(MaxDecodedBodyBytes), MaxDecodedBodyBytes, "MaxDecodedBodyBytes must be positive.");
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
    }
}
