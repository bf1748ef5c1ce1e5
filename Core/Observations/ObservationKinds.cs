namespace ShadowMcp.Core.Observations;

/// <summary>
/// The catalogue of observation kinds the Scanner emits. Rules name one of these in <c>observation:</c>.
/// docs/observations.md describes when each fires and the fields it carries.
/// </summary>
public static class ObservationKinds
{
    public const string HttpRequest = "http.request";
    public const string HttpResponse = "http.response";
    public const string SseEvent = "sse.event";
    public const string JsonRpcRequest = "jsonrpc.request";
    public const string JsonRpcNotification = "jsonrpc.notification";
    public const string JsonRpcResponse = "jsonrpc.response";
    public const string JsonRpcError = "jsonrpc.error";
    public const string Dns = "dns";
    public const string TlsClientHello = "tls.clienthello";
    public const string TlsServerHello = "tls.serverhello";
    /// <summary>A TLS flow without keys whose shape the shape model scored as MCP (docs/shape-classifier.md).</summary>
    public const string TlsShape = "tls.shape";

    public static readonly IReadOnlyList<string> All =
    [
        HttpRequest, HttpResponse, SseEvent, JsonRpcRequest, JsonRpcNotification, JsonRpcResponse, JsonRpcError, Dns, TlsClientHello,
        TlsServerHello, TlsShape,
    ];

    /// <summary>Rules may name a family ("jsonrpc") to match every kind in it.</summary>
    public static bool Matches(string ruleKind, string observationKind) =>
        ruleKind == observationKind
        || (observationKind.Length > ruleKind.Length
            && observationKind.StartsWith(ruleKind, StringComparison.Ordinal)
            && observationKind[ruleKind.Length] == '.');
}
