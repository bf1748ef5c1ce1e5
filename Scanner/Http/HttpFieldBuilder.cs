using System.Globalization;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Observations.JsonRpc;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Scanner.Http;

/// <summary>
/// Fills the field bags of docs/observations.md for HTTP, SSE and HTTP-carried JSON-RPC observations. The caller
/// gives the bag (the emitter's reused one, or a new one of the size the <c>*Capacity</c> methods say).
/// </summary>
internal static class HttpFieldBuilder
{
    public static int RequestCapacity(HttpMessageHead head) => 8 + head.Headers.Count;

    public static FieldBag Request(FieldBag fields, HttpMessageHead head, HttpRequestInfo info, string? query, HttpBodyPrefix body, int textBytes)
    {
        fields.Add("method", head.Method).Add("target", head.Target).Add("version", head.Version)
            .Add("path", info.Path).AddIfPresent("query", query).AddIfPresent("host", info.Host);
        AddHeaders(fields, "header.", head.Headers);
        AddBody(fields, body, textBytes);
        return fields;
    }

    // Sized for every field added below, so a new bag never grows.
    public static int ResponseCapacity(HttpMessageHead head, HttpRequestInfo? request) => 6 + head.Headers.Count + RequestFieldCount(request);

    public static FieldBag Response(FieldBag fields, HttpMessageHead head, HttpRequestInfo? request, HttpBodyPrefix? body, int textBytes)
    {
        fields.Add("status", head.Status.ToString(CultureInfo.InvariantCulture)).Add("reason", head.Reason).Add("version", head.Version)
            .AddIfPresent("content_type", head.ContentType);
        AddHeaders(fields, "header.", head.Headers);
        if (body is not null) AddBody(fields, body, textBytes);
        AddRequest(fields, "request.", request);
        return fields;
    }

    public static int SseEventCapacity(HttpRequestInfo? request) => 4 + RequestFieldCount(request);

    public static FieldBag SseEvent(FieldBag fields, string eventType, ReadOnlySpan<byte> data, string? id, string? retry, HttpRequestInfo? request, int textBytes)
    {
        fields.Add("event", eventType).AddUtf8("data", data, textBytes).AddIfPresent("id", id).AddIfPresent("retry", retry);
        AddRequest(fields, "request.", request);
        return fields;
    }

    public static int JsonRpcCapacity(in JsonRpcHead message, in JsonRpcCarrier carrier) =>
        message.MembersCount + 8 + RequestFieldCount(carrier.Request);

    public static FieldBag JsonRpc(FieldBag fields, in JsonRpcHead message, FieldBag members, string? requestMethod, in JsonRpcCarrier carrier)
    {
        JsonRpcFields.AddTo(fields, message, members);
        fields.AddIfPresent("request.method", requestMethod);
        if (message.Batch) fields.Add("batch", "true");
        fields.Add("carrier", carrier.Name);
        AddRequest(fields, "http.", carrier.Request);
        if (carrier.Response is { } response)
        {
            fields.Add("http.status", response.Status.ToString(CultureInfo.InvariantCulture));
            fields.AddIfPresent("http.content_type", response.ContentType);
        }
        return fields;
    }

    private static int RequestFieldCount(HttpRequestInfo? request) => request is null ? 0 : 3 + request.Headers.Count;

    private static void AddRequest(FieldBag fields, string prefix, HttpRequestInfo? request)
    {
        if (request is null) return;
        fields.Add(StringCache.Concat(prefix, "method"), request.Method).Add(StringCache.Concat(prefix, "path"), request.Path)
            .AddIfPresent(StringCache.Concat(prefix, "host"), request.Host);
        AddHeaders(fields, StringCache.Concat(prefix, "header."), request.Headers);
    }

    private static void AddHeaders(FieldBag fields, string prefix, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        // An index loop: foreach over the interface would box the list's enumerator for every message.
        for (var i = 0; i < headers.Count; i++) fields.Add(StringCache.Concat(prefix, headers[i].Key), headers[i].Value);
    }

    private static void AddBody(FieldBag fields, HttpBodyPrefix body, int textBytes)
    {
        if (body.Kept.Length > 0) fields.AddUtf8("body", body.Kept, textBytes);
        fields.Add("body.length", body.Length.ToString(CultureInfo.InvariantCulture));
    }
}
