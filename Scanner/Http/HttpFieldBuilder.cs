using System.Globalization;
using ShadowMcp.Core.Observations;
using ShadowMcp.Core.Observations.JsonRpc;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Scanner.Http;

/// <summary>Builds the field bags of docs/observations.md for HTTP, SSE and HTTP-carried JSON-RPC observations.</summary>
internal static class HttpFieldBuilder
{
    public static FieldBag Request(HttpMessageHead head, HttpRequestInfo info, string? query, HttpBodyPrefix body, int textBytes)
    {
        var fields = new FieldBag(8 + head.Headers.Count)
            .Add("method", head.Method).Add("target", head.Target).Add("version", head.Version)
            .Add("path", info.Path).AddIfPresent("query", query).AddIfPresent("host", info.Host);
        AddHeaders(fields, "header.", head.Headers);
        AddBody(fields, body, textBytes);
        return fields;
    }

    public static FieldBag Response(HttpMessageHead head, HttpRequestInfo? request, HttpBodyPrefix? body, int textBytes)
    {
        // Sized for every field added below, so the bag never grows.
        var fields = new FieldBag(6 + head.Headers.Count + RequestFieldCount(request))
            .Add("status", head.Status.ToString(CultureInfo.InvariantCulture)).Add("reason", head.Reason).Add("version", head.Version)
            .AddIfPresent("content_type", head.ContentType);
        AddHeaders(fields, "header.", head.Headers);
        if (body is not null) AddBody(fields, body, textBytes);
        AddRequest(fields, "request.", request);
        return fields;
    }

    public static FieldBag SseEvent(string eventType, ReadOnlySpan<byte> data, string? id, string? retry, HttpRequestInfo? request, int textBytes)
    {
        var fields = new FieldBag(4 + RequestFieldCount(request)).Add("event", eventType).Add("data", Utf8Text.Prefix(data, textBytes))
            .AddIfPresent("id", id).AddIfPresent("retry", retry);
        AddRequest(fields, "request.", request);
        return fields;
    }

    public static FieldBag JsonRpc(JsonRpcMessage message, string? requestMethod, JsonRpcCarrier carrier)
    {
        var fields = JsonRpcFields.AddTo(new FieldBag(message.Members.Count + 8 + RequestFieldCount(carrier.Request)), message);
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
        if (body.Kept.Length > 0) fields.Add("body", Utf8Text.Prefix(body.Kept, textBytes));
        fields.Add("body.length", body.Length.ToString(CultureInfo.InvariantCulture));
    }
}
