namespace ShadowMcp.Scanner.Http;

/// <summary>A parsed request or response head: the start line, the selected headers and the framing headers.</summary>
internal sealed class HttpMessageHead
{
    // Backing fields, so an ended head can be refilled for the next message (ReuseAsResponse, ReuseAsRequest).
    private bool _isRequest;
    private string _version = "";
    private string _reason = "";

    public bool IsRequest { get => _isRequest; init => _isRequest = value; }
    public string Method { get; set; } = "";
    public string Target { get; set; } = "";
    public string Version { get => _version; init => _version = value; }
    public int Status { get; set; }
    public string Reason { get => _reason; init => _reason = value; }

    private List<KeyValuePair<string, string>>? _headers;

    /// <summary>Selected headers, lower-case names, in wire order; authorization already reduced to its scheme.</summary>
    public List<KeyValuePair<string, string>> Headers => _headers ??= new(8);

    /// <summary>The headers an HTTP/1 head was parsed with, copied at their exact count (a head lives until its answer).</summary>
    internal void SetHeaders(List<KeyValuePair<string, string>> parsed)
    {
        if (_headers is null) _headers = new List<KeyValuePair<string, string>>(parsed);
        else
        {
            _headers.Clear(); // a reused head keeps its list
            _headers.AddRange(parsed);
        }
    }

    /// <summary>
    /// Makes this head the next response's, every property as a new head would have it. Only for a response head
    /// whose message has ended: nothing refers to it any more (a request head lives on in its request info).
    /// </summary>
    internal void ReuseAsResponse(string version, int status, string reason)
    {
        Clear();
        _isRequest = false;
        _version = version;
        Status = status;
        _reason = reason;
    }

    /// <summary>
    /// Makes this head the next request's, every property as a new head would have it. Only for a head its
    /// <see cref="HttpRequestPool"/> took back: its request was answered and nothing refers to it any more.
    /// </summary>
    internal void ReuseAsRequest(string method, string target, string version)
    {
        Clear();
        _isRequest = true;
        Method = method;
        Target = target;
        _version = version;
    }

    /// <summary>
    /// Lets go of this ended head's texts (a kept spare must not keep a long header value alive until it is refilled),
    /// and of a header list grown past what a usual head needs.
    /// </summary>
    internal void Forget()
    {
        Clear();
        if (_headers is { Capacity: > KeptHeaderCapacity }) _headers = null;
    }

    private const int KeptHeaderCapacity = 16;

    private void Clear()
    {
        Method = "";
        Target = "";
        _version = "";
        Status = 0;
        _reason = "";
        _headers?.Clear();
        ContentLength = -1;
        HasTransferEncoding = false;
        Chunked = false;
        Host = null;
        ContentType = null;
        ContentEncoding = ContentCoding.None;
    }

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
