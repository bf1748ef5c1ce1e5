using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Observations.JsonRpc;
using ShadowMcp.Core.Text;
using ShadowMcp.Scanner.Analysis;
using ShadowMcp.Scanner.JsonRpc;
using ShadowMcp.Scanner.Sessions;

namespace ShadowMcp.Scanner.Http;

/// <summary>
/// Emits the observations of one HTTP connection, HTTP/1.x or HTTP/2: requests, responses, SSE events and the
/// JSON-RPC messages they carry, with request ids remembered per side to name the method a response answers.
/// </summary>
internal sealed class HttpObservationWriter
{
    private readonly ObservationEmitter _emitter;
    private readonly AnalyzerOptions _options;
    private readonly PendingRequestIds _clientRequestIds;
    private readonly PendingRequestIds _serverRequestIds;
    private readonly JsonRpcLimits _jsonLimits;

    public HttpObservationWriter(FlowEndpoints endpoints, ObservationEmitter emitter, AnalyzerOptions options)
    {
        Endpoints = endpoints;
        _emitter = emitter;
        _options = options;
        _clientRequestIds = new PendingRequestIds(options.MaxPendingJsonRpcIds);
        _serverRequestIds = new PendingRequestIds(options.MaxPendingJsonRpcIds);
        _jsonLimits = new JsonRpcLimits(options.JsonMaxDepth, options.JsonMaxFields, options.JsonMaxStringChars);
    }

    /// <summary>Null until the side sending requests is known; the initiator is assumed until then.</summary>
    public bool? ClientIsInitiator { get; set; }

    public ObservationEmitter Emitter => _emitter;

    /// <summary>The flow's two ends; a recycled analyzer's writer is given the next flow's.</summary>
    public FlowEndpoints Endpoints { get; set; }

    private FlowRef Flow => Endpoints.AsFlowRef(ClientIsInitiator ?? true);

    /// <summary>Forgets the flow: who the client is and the request ids awaiting answers.</summary>
    public void Restart()
    {
        ClientIsInitiator = null;
        _clientRequestIds.Clear();
        _serverRequestIds.Clear();
    }

    public void EmitRequest(HttpMessageHead head, HttpRequestInfo request, string? query, HttpBodyPrefix body, DateTime time)
    {
        var fields = HttpFieldBuilder.Request(_emitter.Fields(HttpFieldBuilder.RequestCapacity(head)), head, request, query, body, _options.BodyTextBytes);
        _emitter.Emit(ObservationKinds.HttpRequest, Flow, time, fields);
        if (!body.Kept.IsEmpty && (head.IsJson || Utf8Text.StartsLikeJson(body.Kept)))
            EmitJsonRpc(body.Kept, new JsonRpcCarrier(JsonRpcCarrier.HttpRequest, true, request, null), time);
    }

    public void EmitResponse(HttpMessageHead head, HttpRequestInfo? request, HttpBodyPrefix? body, DateTime time)
    {
        var fields = HttpFieldBuilder.Response(_emitter.Fields(HttpFieldBuilder.ResponseCapacity(head, request)), head, request, body, _options.BodyTextBytes);
        _emitter.Emit(ObservationKinds.HttpResponse, Flow, time, fields);
        if (body is not null && !body.Kept.IsEmpty && (head.IsJson || Utf8Text.StartsLikeJson(body.Kept)))
            EmitJsonRpc(body.Kept, new JsonRpcCarrier(JsonRpcCarrier.HttpResponse, false, request, head), time);
    }

    public void EmitSseEvent(HttpMessageHead head, HttpRequestInfo? request, string eventType, ReadOnlySpan<byte> data,
        string? id, string? retry, DateTime time)
    {
        var fields = HttpFieldBuilder.SseEvent(_emitter.Fields(HttpFieldBuilder.SseEventCapacity(request)), eventType, data, id, retry, request, _options.BodyTextBytes);
        _emitter.Emit(ObservationKinds.SseEvent, Flow, time, fields);
        if (Utf8Text.StartsLikeJson(data)) EmitJsonRpc(data, new JsonRpcCarrier(JsonRpcCarrier.Sse, false, request, head), time);
    }

    // Per-thread scratch for the messages of one body and all their members, reused body after body.
    [ThreadStatic] private static List<JsonRpcHead>? t_heads;
    [ThreadStatic] private static FieldBag? t_members;

    private void EmitJsonRpc(ReadOnlySpan<byte> json, in JsonRpcCarrier carrier, DateTime time)
    {
        // Taken out of the thread's slots while in use, so a nested call (none today) would get its own.
        var heads = t_heads ?? new List<JsonRpcHead>(4);
        var members = t_members ?? new FieldBag(64);
        t_heads = null;
        t_members = null;
        try
        {
            bool whole = JsonRpcFields.Extract(json, _jsonLimits, heads, members);
            if (!whole && heads.Count == 0) _emitter.Counters.JsonRpcUnparsed++;
            // Requests are answered by the other side: ids sent by the client are looked up in server responses.
            var sent = carrier.FromClient ? _clientRequestIds : _serverRequestIds;
            var answered = carrier.FromClient ? _serverRequestIds : _clientRequestIds;
            for (var i = 0; i < heads.Count; i++)
            {
                var message = heads[i];
                string? requestMethod = null;
                if (message.Kind == ObservationKinds.JsonRpcRequest && message.IdKey is not null && message.Method is not null)
                    sent.Add(message.IdKey, message.Method);
                else if (message.Kind is ObservationKinds.JsonRpcResponse or ObservationKinds.JsonRpcError && message.IdKey is not null)
                    requestMethod = answered.Take(message.IdKey);
                var fields = HttpFieldBuilder.JsonRpc(_emitter.Fields(HttpFieldBuilder.JsonRpcCapacity(message, carrier)), message, members,
                    requestMethod, carrier);
                _emitter.Emit(message.Kind, Flow, time, fields);
            }
        }
        finally
        {
            heads.Clear();
            members.Clear();
            t_heads = heads;
            t_members = members;
        }
    }
}
