using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Sse;

namespace ShadowMcp.Scanner.Http;

/// <summary>
/// Turns what one direction's <see cref="HttpStreamReader"/> finds into observations: keeps the body prefix of
/// the current message, frames event streams, and asks the connection for request pairing and JSON-RPC.
/// </summary>
internal sealed class HttpMessageAssembler : IHttpMessageHandler, ISseEventSink, IDecodedBodySink
{
    private readonly IHttpExchange _connection;
    private readonly bool _fromInitiator;
    private readonly HttpBodyPrefix _body;
    private readonly AnalyzerOptions _options;
    private readonly AnalyzerCounters _counters;
    // Request heads and infos taken back once answered; null (HTTP/2 streams) makes a new one per request.
    private readonly HttpRequestPool? _requests;
    // Made when first needed: most directions never see an event stream or a coded body, and both are per flow.
    private SseFramer? _sse;
    private BodyDecompressor? _decompressor;

    private HttpMessageHead? _head;
    // The last ended response head: the next response of this direction refills it instead of allocating one.
    private HttpMessageHead? _spare;
    // The request of the current message (its own, or the one it answers), held until the message ends.
    private HttpRequestInfo? _request;
    private string? _query;
    private bool _inEventStream;

    public HttpMessageAssembler(IHttpExchange connection, bool fromInitiator, AnalyzerOptions options, AnalyzerCounters counters,
        HttpRequestPool? requests = null)
    {
        _requests = requests;
        _connection = connection;
        _fromInitiator = fromInitiator;
        _options = options;
        _counters = counters;
        _body = new HttpBodyPrefix(options.JsonPrefixBytes);
    }

    /// <summary>Back to the state of a new assembler (keeping its spare head and made parts), for the next flow.</summary>
    public void Restart()
    {
        _decompressor?.End();
        _sse?.End();
        _body.Restart();
        _head = null;
        LetGoOfRequest();
        _query = null;
        _inEventStream = false;
    }

    /// <summary>Heap bytes of the body prefix, event-stream state and decompressor buffers.</summary>
    public int HeldBytes => _body.HeldBytes + (_sse?.HeldBytes ?? 0) + (_decompressor?.HeldBytes ?? 0);

    public BodyFraming OnHead(HttpMessageHead head, DateTime time)
    {
        _head = head;
        _body.Reset(KeepFor(head));
        _inEventStream = false;
        _decompressor?.End();
        if (head.ContentEncoding is not ContentCoding.None and not ContentCoding.Unsupported)
            (_decompressor ??= new BodyDecompressor(_options, _counters)).Start(head.ContentEncoding);
        if (head.IsRequest)
        {
            var (path, query, authority) = HttpTarget.Split(head.Target);
            if (head.Host is null && authority is not null) head.Host = HttpTarget.NormalizeHost(authority);
            _query = query;
            LetGoOfRequest();
            _request = _requests?.Rent(head, path, head.Host) ?? new HttpRequestInfo(head, path, head.Host);
            _request.Hold();
            _connection.OnRequestHead(_request, _fromInitiator);
            if (head.Chunked) return BodyFraming.Chunked;
            return head.ContentLength > 0 ? BodyFraming.ContentLength : BodyFraming.None;
        }

        bool interim = head.Status is >= 100 and < 200;
        LetGoOfRequest();
        _request = _connection.OnResponseHead(_fromInitiator, interim); // comes held for this assembler
        if (head.Status == 101 || (_request?.Method == "CONNECT" && head.Status is >= 200 and < 300))
        {
            // The connection now speaks another protocol (WebSocket, a tunnel): report the head and stop.
            _connection.EmitResponse(head, _request, null, time);
            _connection.StopParsing(head, _request);
            return BodyFraming.StopParsing;
        }
        var framing = interim || head.Status is 204 or 304 || _request?.Method == "HEAD" ? BodyFraming.None
            : head.Chunked ? BodyFraming.Chunked
            : head.HasTransferEncoding ? BodyFraming.UntilClose
            : head.ContentLength >= 0 ? BodyFraming.ContentLength
            : BodyFraming.UntilClose;
        if (head.IsEventStream && framing != BodyFraming.None && head.ContentLength != 0)
        {
            _inEventStream = true;
            _connection.EmitResponse(head, _request, null, time);
        }
        return framing;
    }

    /// <summary>
    /// How much of this body to keep: enough for JSON-RPC when the body may be JSON (declared JSON, or no type),
    /// the text prefix for other text, and a sniffing prefix for binary content, which never carries JSON-RPC.
    /// Keeps bulk downloads from costing a 64 KiB buffer each.
    /// </summary>
    private int KeepFor(HttpMessageHead head)
    {
        var type = head.ContentType;
        if (type is null || head.IsJson) return _options.JsonPrefixBytes;
        if (type.StartsWith("text/", StringComparison.Ordinal) || type.Contains("form", StringComparison.Ordinal)
            || type.Contains("xml", StringComparison.Ordinal)) return _options.BodyTextBytes;
        return Math.Min(512, _options.BodyTextBytes);
    }

    public void OnBody(ReadOnlySpan<byte> data, DateTime time)
    {
        if (_decompressor is { Active: true }) _decompressor.Feed(data, this, time);
        else if (_head?.ContentEncoding is ContentCoding.None or null) OnDecoded(data, time);
    }

    /// <summary>Body bytes as the endpoint reads them: after Content-Encoding is undone.</summary>
    public void OnDecoded(ReadOnlySpan<byte> data, DateTime time)
    {
        if (_inEventStream) Sse.Feed(data, time);
        else _body.Append(data);
    }

    bool IDecodedBodySink.Full => !_inEventStream && _body.Full;

    public void OnBodyGap(long missingBytes)
    {
        // A compressed stream cannot be resumed after lost bytes.
        _decompressor?.End();
        if (_inEventStream) Sse.OnGap();
        else _body.OnGap();
    }

    public void OnMessageEnd(DateTime time, bool complete)
    {
        _decompressor?.End();
        var head = _head;
        if (head is null) return;
        if (head.IsRequest && _request is not null) _connection.EmitRequest(head, _request, _query, _body, time);
        else if (_inEventStream) _sse?.End(); // a framer never made is in the state End leaves
        else _connection.EmitResponse(head, _request, _body, time);
        _body.Release(); // emitted: the prefix goes back to the pool until the next body
        _head = null;
        _inEventStream = false;
        LetGoOfRequest();
        Recycle(head);
    }

    // A request head lives on in its HttpRequestInfo until answered (its pool takes it back); an ended response head
    // is referred to by nothing.
    private void Recycle(HttpMessageHead head)
    {
        if (head.IsRequest) return;
        head.Forget(); // kept until refilled, which may be never (an ended HTTP/2 stream kept as a spare)
        _spare = head;
    }

    private void LetGoOfRequest()
    {
        _request?.Release();
        _request = null;
    }

    public HttpMessageHead? TakeSpareHead(bool request)
    {
        if (request) return _requests?.TakeHead();
        var spare = _spare;
        _spare = null;
        return spare;
    }

    public void OnStopped(ReadOnlySpan<byte> rest, DateTime time) => _connection.OnSwitchedBytes(_fromInitiator, rest, time);

    public void OnFramingLost()
    {
        _decompressor?.End();
        _body.Release();
        if (_inEventStream) _sse?.End();
        if (_head is { } lost) Recycle(lost);
        _head = null;
        _inEventStream = false;
        LetGoOfRequest();
        _connection.OnFramingLost();
    }

    private SseFramer Sse => _sse ??= new SseFramer(_options.MaxSseEventBytes, this, _counters);

    public void OnEvent(string eventType, ReadOnlySpan<byte> data, string? id, string? retry, DateTime time)
    {
        if (_head is null) return;
        _connection.EmitSseEvent(_head, _request, eventType, data, id, retry, time);
    }
}
