using ShadowMcp.Classifier.Loading;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Tests;

/// <summary>Builds literal observations the way docs/observations.md describes them.</summary>
internal static class Obs
{
    public static readonly DateTime T0 = new(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);

    public static FlowRef Flow(string client, int clientPort, string server, int serverPort, string protocol = "tcp") =>
        new(client, clientPort, server, serverPort, protocol);

    public static Observation Request(FlowRef flow, int second, string method, string target, string? host, params (string Name, string Value)[] headers)
    {
        var cut = target.IndexOf('?');
        var fields = new FieldBag()
            .Add("method", method).Add("target", target).Add("version", "HTTP/1.1")
            .Add("path", cut < 0 ? target : target[..cut]);
        if (cut >= 0) fields.Add("query", target[(cut + 1)..]);
        if (host is not null) fields.Add("host", host).Add("header.host", host);
        foreach (var (name, value) in headers) fields.Add("header." + name, value);
        return Make(ObservationKinds.HttpRequest, flow, second, fields);
    }

    public static Observation Response(FlowRef flow, int second, int status, string? contentType, string requestMethod, string requestPath, params (string Name, string Value)[] headers)
    {
        var fields = new FieldBag().Add("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Add("version", "HTTP/1.1")
            .AddIfPresent("content_type", contentType)
            .Add("request.method", requestMethod).Add("request.path", requestPath);
        foreach (var (name, value) in headers) fields.Add("header." + name, value);
        return Make(ObservationKinds.HttpResponse, flow, second, fields);
    }

    public static Observation Sse(FlowRef flow, int second, string evt, string data, string requestMethod, string requestPath) =>
        Make(ObservationKinds.SseEvent, flow, second, new FieldBag()
            .Add("event", evt).Add("data", data).Add("request.method", requestMethod).Add("request.path", requestPath));

    /// <summary>A JSON-RPC message carried by an HTTP request/response/stream on <paramref name="httpPath"/>.</summary>
    public static Observation Rpc(FlowRef flow, int second, string json, string carrier, string httpMethod, string httpPath, params (string Name, string Value)[] headers)
    {
        if (!ExampleBuilder.TryReadMessage(json, out var kind, out var fields, out var error) || kind is null)
            throw new ArgumentException($"not a JSON-RPC message: {error}", nameof(json));
        fields.Add("carrier", carrier).Add("http.method", httpMethod).Add("http.path", httpPath);
        foreach (var (name, value) in headers) fields.Add("http.header." + name, value);
        return Make(kind, flow, second, fields);
    }

    public static Observation Dns(FlowRef flow, int second, string name, bool response, params string[] answers)
    {
        var fields = new FieldBag().Add("name", name).Add("type", "A").Add("response", response ? "true" : "false");
        if (response) fields.Add("rcode", "NOERROR");
        foreach (var answer in answers) fields.Add("answer", answer).Add("answer.name", name);
        return Make(ObservationKinds.Dns, flow, second, fields);
    }

    /// <summary>A DNS message with its id, as the Scanner reads it: a query, or an answer to the query with that id.</summary>
    public static Observation Dns(FlowRef flow, int second, ushort id, string name, bool response, params string[] answers)
    {
        var observation = Dns(flow, second, name, response, answers);
        var fields = new FieldBag().Add("id", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var kv in observation.Fields.AsSpan()) fields.Add(kv.Key, kv.Value);
        return Make(ObservationKinds.Dns, flow, second, fields);
    }

    public static Observation Tls(FlowRef flow, int second, string sni) =>
        Make(ObservationKinds.TlsClientHello, flow, second, new FieldBag().Add("sni", sni).Add("alpn", "h2").Add("alpn", "http/1.1").Add("version", "TLS1.3"));

    private static Observation Make(string kind, FlowRef flow, int second, FieldBag fields) =>
        new() { Kind = kind, Flow = flow, Time = T0.AddSeconds(second), Fields = fields, Source = "test" };
}
