using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Observations.JsonRpc;
using ShadowMcp.Core.Text;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.JsonRpc;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Http;

/// <summary>
/// One HTTP/1.x connection: a reader per direction, requests waiting for their responses (FIFO, for pipelining),
/// and JSON-RPC ids waiting for theirs. The client is the side that sends request lines, whichever side opened
/// the TCP connection.
/// </summary>
internal sealed class HttpAnalyzer : ITcpStreamAnalyzer, IHoldsBytes
{
    private readonly FlowEndpoints _endpoints;
    private readonly ObservationEmitter _emitter;
    private readonly AnalyzerOptions _options;
    private readonly HttpStreamReader _fromInitiatorReader;
    private readonly HttpStreamReader _fromResponderReader;
    private readonly Queue<HttpRequestInfo> _awaitingResponse = new();
    private readonly PendingRequestIds _clientRequestIds;
    private readonly PendingRequestIds _serverRequestIds;
    private readonly JsonRpcLimits _jsonLimits;
    private readonly List<JsonRpcMessage> _messages = [];
    private bool? _clientIsInitiator;

    public HttpAnalyzer(FlowEndpoints endpoints, ObservationEmitter emitter, AnalyzerOptions options)
    {
        _endpoints = endpoints;
        _emitter = emitter;
        _options = options;
        _fromInitiatorReader = new HttpStreamReader(new HttpMessageAssembler(this, true, options, emitter.Counters), options, emitter.Counters);
        _fromResponderReader = new HttpStreamReader(new HttpMessageAssembler(this, false, options, emitter.Counters), options, emitter.Counters);
        _clientRequestIds = new PendingRequestIds(options.MaxPendingJsonRpcIds);
        _serverRequestIds = new PendingRequestIds(options.MaxPendingJsonRpcIds);
        _jsonLimits = new JsonRpcLimits(options.JsonMaxDepth, options.JsonMaxFields, options.JsonMaxStringChars);
    }

    // The analyzer's own objects (readers, decoders, queues, id sets) before any buffer grows; measured roughly.
    private const int FixedBytes = 2048;

    public long HeldBytes => FixedBytes + _fromInitiatorReader.HeldBytes + _fromResponderReader.HeldBytes;

    public bool WantsMoreData => !(_fromInitiatorReader.Stopped && _fromResponderReader.Stopped);

    internal HttpStreamReader ReaderFor(bool fromInitiator) => fromInitiator ? _fromInitiatorReader : _fromResponderReader;

    public void OnData(bool fromInitiator, ReadOnlySpan<byte> data, DateTime time) => ReaderFor(fromInitiator).Feed(data, time);

    public void OnGap(bool fromInitiator, long missingBytes, DateTime time) => ReaderFor(fromInitiator).OnGap(missingBytes, time);

    public void OnClose(DateTime time)
    {
        _fromInitiatorReader.OnClose(time);
        _fromResponderReader.OnClose(time);
    }

    private FlowRef Flow => _endpoints.AsFlowRef(_clientIsInitiator ?? true);

    internal void OnRequestHead(HttpRequestInfo request, bool fromInitiator)
    {
        _clientIsInitiator ??= fromInitiator;
        if (_awaitingResponse.Count >= _options.MaxPendingRequests) _awaitingResponse.Dequeue();
        _awaitingResponse.Enqueue(request);
    }

    /// <summary>The request this response answers; an interim (1xx) response leaves it waiting for the final one.</summary>
    internal HttpRequestInfo? OnResponseHead(bool fromInitiator, bool interim)
    {
        _clientIsInitiator ??= !fromInitiator;
        if (interim) return _awaitingResponse.TryPeek(out var waiting) ? waiting : null;
        return _awaitingResponse.TryDequeue(out var request) ? request : null;
    }

    /// <summary>A direction lost its framing: which responses answer which requests is no longer known.</summary>
    internal void OnFramingLost() => _awaitingResponse.Clear();

    internal void StopParsing()
    {
        _fromInitiatorReader.Stop();
        _fromResponderReader.Stop();
    }

    internal void EmitRequest(HttpMessageHead head, HttpRequestInfo request, string? query, HttpBodyPrefix body, DateTime time)
    {
        _emitter.Emit(ObservationKinds.HttpRequest, Flow, time, HttpFieldBuilder.Request(head, request, query, body, _options.BodyTextBytes));
        if (!body.Kept.IsEmpty && (head.IsJson || Utf8TextStartsJson(body.Kept)))
            EmitJsonRpc(body.Kept, new JsonRpcCarrier(JsonRpcCarrier.HttpRequest, true, request, null), time);
    }

    internal void EmitResponse(HttpMessageHead head, HttpRequestInfo? request, HttpBodyPrefix? body, DateTime time)
    {
        _emitter.Emit(ObservationKinds.HttpResponse, Flow, time, HttpFieldBuilder.Response(head, request, body, _options.BodyTextBytes));
        if (body is not null && !body.Kept.IsEmpty && (head.IsJson || Utf8TextStartsJson(body.Kept)))
            EmitJsonRpc(body.Kept, new JsonRpcCarrier(JsonRpcCarrier.HttpResponse, false, request, head), time);
    }

    internal void EmitSseEvent(HttpMessageHead head, HttpRequestInfo? request, string eventType, ReadOnlySpan<byte> data,
        string? id, string? retry, DateTime time)
    {
        _emitter.Emit(ObservationKinds.SseEvent, Flow, time, HttpFieldBuilder.SseEvent(eventType, data, id, retry, request, _options.BodyTextBytes));
        if (Utf8TextStartsJson(data)) EmitJsonRpc(data, new JsonRpcCarrier(JsonRpcCarrier.Sse, false, request, head), time);
    }

    private static bool Utf8TextStartsJson(ReadOnlySpan<byte> bytes) => Utf8Text.StartsLikeJson(bytes);

    private void EmitJsonRpc(ReadOnlySpan<byte> json, JsonRpcCarrier carrier, DateTime time)
    {
        _messages.Clear();
        bool whole = JsonRpcFields.Extract(json, _jsonLimits, _messages);
        if (!whole && _messages.Count == 0) _emitter.Counters.JsonRpcUnparsed++;
        // Requests are answered by the other side: ids sent by the client are looked up in server responses.
        var sent = carrier.FromClient ? _clientRequestIds : _serverRequestIds;
        var answered = carrier.FromClient ? _serverRequestIds : _clientRequestIds;
        foreach (var message in _messages)
        {
            string? requestMethod = null;
            if (message.Kind == ObservationKinds.JsonRpcRequest && message.IdKey is not null && message.Method is not null)
                sent.Add(message.IdKey, message.Method);
            else if (message.Kind is ObservationKinds.JsonRpcResponse or ObservationKinds.JsonRpcError && message.IdKey is not null)
                requestMethod = answered.Take(message.IdKey);
            _emitter.Emit(message.Kind, Flow, time, HttpFieldBuilder.JsonRpc(message, requestMethod, carrier));
        }
        _messages.Clear();
    }
}
