namespace ShadowMcp.Scanner.Http;

/// <summary>A parsed request or response head: the start line, the selected headers and the framing headers.</summary>
internal sealed class HttpMessageHead
{
    public bool IsRequest { get; init; }
    public string Method { get; set; } = "";
    public string Target { get; set; } = "";
    public string Version { get; init; } = "";
    public int Status { get; set; }
    public string Reason { get; init; } = "";

    private List<KeyValuePair<string, string>>? _headers;

    /// <summary>Selected headers, lower-case names, in wire order; authorization already reduced to its scheme.</summary>
    public List<KeyValuePair<string, string>> Headers => _headers ??= new(8);

    /// <summary>The headers an HTTP/1 head was parsed with, copied at their exact count (a head lives until its answer).</summary>
    internal void SetHeaders(List<KeyValuePair<string, string>> parsed) => _headers = new List<KeyValuePair<string, string>>(parsed);

    /// <summary>-1 when absent.</summary>
    public long ContentLength { get; set; } = -1;

    public bool HasTransferEncoding { get; set; }

    /// <summary>The last transfer coding is chunked.</summary>
    public bool Chunked { get; set; }

    /// <summary>Host header (or absolute-form authority), lower-case, port and IPv6 brackets removed.</summary>
    public string? Host { get; set; }

    /// <summary>Media type of Content-Type, lower-case, parameters removed.</summary>
    public string? ContentType { get; set; }

    /// <summary>The Content-Encoding the body is decoded from; None for identity or no header.</summary>
    public ContentCoding ContentEncoding { get; set; }

    public bool IsEventStream => ContentType == "text/event-stream";

    public bool IsJson => ContentType is not null && ContentType.Contains("json", StringComparison.Ordinal);
}
