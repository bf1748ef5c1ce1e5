using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.Http2;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Http;

/// <summary>
/// One HTTP/1.x connection: a reader per direction and requests waiting for their responses (FIFO, for
/// pipelining). The client is the side that sends request lines, whichever side opened the TCP connection.
/// A <c>101 Switching Protocols</c> to <c>h2c</c> hands the rest of the connection to HTTP/2.
/// </summary>
internal sealed class HttpAnalyzer : ITcpStreamAnalyzer, IHttpExchange, IHoldsBytes, IRecyclableAnalyzer
{
    private FlowEndpoints _endpoints;
    private readonly AnalyzerOptions _options;
    private readonly HttpAnalyzerPool? _pool;
    private readonly HttpMessageAssembler _fromInitiator;
    private readonly HttpMessageAssembler _fromResponder;
    private readonly HttpStreamReader _fromInitiatorReader;
    private readonly HttpStreamReader _fromResponderReader;
    private readonly Queue<HttpRequestInfo> _awaitingResponse = new();
    private readonly HttpObservationWriter _writer;
    private readonly HttpRequestPool _requests;
    private Http2Connection? _upgraded;

    /// <param name="pool">Where <see cref="Recycle"/> returns this analyzer; null for one used once.</param>
    public HttpAnalyzer(FlowEndpoints endpoints, ObservationEmitter emitter, AnalyzerOptions options, HttpAnalyzerPool? pool = null)
    {
        _endpoints = endpoints;
        _options = options;
        _pool = pool;
        _writer = new HttpObservationWriter(endpoints, emitter, options);
        var sessionIds = new SessionIdMemo();
        _requests = new HttpRequestPool(options.MaxPendingRequests + 1); // those awaiting answers and the one being read
        _fromInitiator = new HttpMessageAssembler(this, true, options, emitter.Counters, _requests);
        _fromResponder = new HttpMessageAssembler(this, false, options, emitter.Counters, _requests);
        _fromInitiatorReader = new HttpStreamReader(_fromInitiator, options, emitter.Counters, sessionIds);
        _fromResponderReader = new HttpStreamReader(_fromResponder, options, emitter.Counters, sessionIds);
    }

    /// <summary>
    /// The flow closed cleanly: forgets everything it held (requests, heads, ids, parser states) and goes back to the
    /// pool, so the next flow gets it in the state a new analyzer has.
    /// </summary>
    public void Recycle()
    {
        if (_pool is null) return;
        _fromInitiatorReader.Restart();
        _fromResponderReader.Restart();
        _fromInitiator.Restart();
        _fromResponder.Restart();
        ForgetAwaiting();
        _requests.Trim();
        _writer.Restart();
        _upgraded = null;
        _pool.Return(this);
    }

    /// <summary>This recycled analyzer, now for the flow between <paramref name="endpoints"/>.</summary>
    internal HttpAnalyzer Restart(FlowEndpoints endpoints)
    {
        _endpoints = endpoints;
        _writer.Endpoints = endpoints;
        return this;
    }

    // The analyzer's own objects (readers, decoders, queues, id sets) before any buffer grows; measured roughly.
    private const int FixedBytes = 2048;

    public long HeldBytes => FixedBytes + _fromInitiatorReader.HeldBytes + _fromResponderReader.HeldBytes
        + _requests.HeldBytes + (_upgraded?.HeldBytes ?? 0);

    public bool WantsMoreData => _upgraded?.WantsMoreData ?? !(_fromInitiatorReader.Stopped && _fromResponderReader.Stopped);

    internal HttpStreamReader ReaderFor(bool fromInitiator) => fromInitiator ? _fromInitiatorReader : _fromResponderReader;

    public void OnData(bool fromInitiator, ReadOnlySpan<byte> data, DateTime time)
    {
        if (_upgraded is not null) _upgraded.OnData(fromInitiator, data, time);
        else ReaderFor(fromInitiator).Feed(data, time);
    }

    public void OnGap(bool fromInitiator, long missingBytes, DateTime time)
    {
        if (_upgraded is not null) _upgraded.OnGap(fromInitiator, missingBytes, time);
        else ReaderFor(fromInitiator).OnGap(missingBytes, time);
    }

    public void OnClose(DateTime time)
    {
        _fromInitiatorReader.OnClose(time);
        _fromResponderReader.OnClose(time);
        _upgraded?.OnClose(time);
    }

    public void OnRequestHead(HttpRequestInfo request, bool fromInitiator)
    {
        _writer.ClientIsInitiator ??= fromInitiator;
        if (_awaitingResponse.Count >= _options.MaxPendingRequests) _awaitingResponse.Dequeue().Release();
        request.Hold(); // the queue's hold, handed to the response that takes it
        _awaitingResponse.Enqueue(request);
    }

    public HttpRequestInfo? OnResponseHead(bool fromInitiator, bool interim)
    {
        _writer.ClientIsInitiator ??= !fromInitiator;
        if (interim)
        {
            // The request waits on for its final response; the interim one gets a hold of its own.
            if (!_awaitingResponse.TryPeek(out var waiting)) return null;
            waiting.Hold();
            return waiting;
        }
        return _awaitingResponse.TryDequeue(out var request) ? request : null;
    }

    public void OnFramingLost() => ForgetAwaiting();

    private void ForgetAwaiting()
    {
        while (_awaitingResponse.TryDequeue(out var request)) request.Release();
    }

    public void StopParsing(HttpMessageHead response, HttpRequestInfo? request)
    {
        _fromInitiatorReader.Stop();
        _fromResponderReader.Stop();
        if (response.Status == 101 && IsH2cUpgrade(request))
        {
            // RFC 7540 3.2: the upgraded request is stream 1, answered in HTTP/2; the client sends the preface next.
            bool clientIsInitiator = _writer.ClientIsInitiator ?? true;
            request!.Pin(); // stream 1 keeps it for the rest of the connection
            _upgraded = new Http2Connection(_endpoints, _writer, _options, clientIsInitiator, request);
        }
    }

    public void OnSwitchedBytes(bool fromInitiator, ReadOnlySpan<byte> rest, DateTime time)
    {
        if (!rest.IsEmpty) _upgraded?.OnData(fromInitiator, rest, time);
    }

    private static bool IsH2cUpgrade(HttpRequestInfo? request)
    {
        if (request is null) return false;
        foreach (var header in request.Headers)
        {
            if (header.Key == "upgrade" && header.Value.Trim().Equals("h2c", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    public void EmitRequest(HttpMessageHead head, HttpRequestInfo request, string? query, HttpBodyPrefix body, DateTime time) =>
        _writer.EmitRequest(head, request, query, body, time);

    public void EmitResponse(HttpMessageHead head, HttpRequestInfo? request, HttpBodyPrefix? body, DateTime time) =>
        _writer.EmitResponse(head, request, body, time);

    public void EmitSseEvent(HttpMessageHead head, HttpRequestInfo? request, string eventType, ReadOnlySpan<byte> data,
        string? id, string? retry, DateTime time) => _writer.EmitSseEvent(head, request, eventType, data, id, retry, time);
}
