using static ShadowMcp.Core.Observations.Catalogue.FieldCardinality;

namespace ShadowMcp.Core.Observations.Catalogue;

/// <summary>
/// The one list of observation kinds and their fields. The Scanner emits only these (a test walks its output on
/// every bundled capture), the rule linter rejects a rule that tests anything else, and docs/observations.md is
/// generated from it (<see cref="ObservationDoc"/>).
/// </summary>
public static class ObservationCatalogue
{
    /// <summary>Request headers kept as <c>header.NAME</c> fields, lower-case.</summary>
    public static readonly IReadOnlyList<string> RequestHeaders =
    [
        "host", "content-type", "accept", "content-length", "transfer-encoding", "user-agent", "origin", "connection",
        "upgrade", "mcp-session-id", "mcp-protocol-version", "mcp-method", "mcp-name", "last-event-id", "authorization",
        "content-encoding",
    ];

    /// <summary>Response headers kept as <c>header.NAME</c> fields, lower-case.</summary>
    public static readonly IReadOnlyList<string> ResponseHeaders =
    [
        "content-type", "content-length", "transfer-encoding", "server", "location", "www-authenticate",
        "mcp-session-id", "mcp-protocol-version", "connection", "access-control-allow-origin", "content-encoding",
    ];

    /// <summary>Fields the Classifier adds to every kind from the observation's flow; the Scanner never emits them.</summary>
    public static readonly IReadOnlyList<ObservationField> FlowFields =
    [
        new("flow.client", FieldType.Address, One, "address of the side that opened the flow"),
        new("flow.client_port", FieldType.Number, One, "its port"),
        new("flow.server", FieldType.Address, One, "address of the side that answered"),
        new("flow.server_port", FieldType.Number, One, "its port"),
        new("flow.protocol", FieldType.Text, One, "`tcp` or `udp`"),
    ];

    public static readonly IReadOnlyList<ObservationKindSpec> Kinds = Build();

    /// <summary>The kind itself, or null when it is not catalogued.</summary>
    public static ObservationKindSpec? Find(string kind)
    {
        foreach (var spec in Kinds)
            if (string.Equals(spec.Kind, kind, StringComparison.Ordinal)) return spec;
        return null;
    }

    /// <summary>The kinds a rule's <c>observation:</c> covers: one kind, or every kind of a family (<c>jsonrpc</c>).</summary>
    public static IReadOnlyList<ObservationKindSpec> Covered(string ruleKind) =>
        [.. Kinds.Where(k => ObservationKinds.Matches(ruleKind, k.Kind))];

    /// <summary>
    /// True when a rule on <paramref name="ruleKind"/> may test <paramref name="path"/>: a flow field, or a field of
    /// at least one covered kind (a family rule may test a field that only some of its kinds carry).
    /// </summary>
    public static bool IsKnownField(string ruleKind, string path) =>
        FlowFields.Any(f => f.Accepts(path)) || Covered(ruleKind).Any(k => k.FieldFor(path) is not null);

    /// <summary>The known path nearest to a misspelled one, or null when none is close.</summary>
    public static string? Suggest(string ruleKind, string path)
    {
        var candidates = FlowFields.Concat(Covered(ruleKind).SelectMany(k => k.Fields)).SelectMany(f => f.ConcretePaths()).Distinct();
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance.Between(path, candidate);
            if (distance < bestDistance) (best, bestDistance) = (candidate, distance);
        }
        // Beyond a third of the word it is a different word, not a typo.
        return bestDistance <= Math.Max(2, path.Length / 3) ? best : null;
    }

    private static ObservationField Headers(string prefix, IReadOnlyList<string> names, string meaning) =>
        new(prefix + "NAME", FieldType.Text, Many, meaning) { Names = names };

    private static ObservationField Json(string root, string meaning) => new(root, FieldType.Json, Many, meaning) { OpenBelow = true };

    private static ObservationField[] RequestOf(string prefix, string what) =>
    [
        new(prefix + "method", FieldType.Text, One, $"method of the request {what}"),
        new(prefix + "path", FieldType.Text, One, $"path of the request {what}"),
        new(prefix + "host", FieldType.Text, One, $"host of the request {what}"),
        Headers(prefix + "header.", RequestHeaders, $"selected headers of the request {what}"),
    ];

    private static ObservationField[] Body =>
    [
        new("body", FieldType.Text, One, "UTF-8 text of the first 4 KiB of the de-chunked, decoded body"),
        new("body.length", FieldType.Number, One, "body bytes seen (decoded bytes, up to the kept prefix, for a compressed body)"),
    ];

    private static ObservationKindSpec JsonRpc(string kind, string meaning, bool method, bool id, bool pairing) =>
        new(kind, meaning,
        [
            new("jsonrpc", FieldType.Text, One, "`2.0`"),
            .. method ? [new ObservationField("method", FieldType.Text, One, "the method")] : Array.Empty<ObservationField>(),
            .. id ? [new ObservationField("id", FieldType.Text, One, "the id as text (`1`, `abc`); absent for a `null` id")] : Array.Empty<ObservationField>(),
            Json("params", "`params` flattened to dotted paths, arrays as `[]` (`params.clientInfo.name`)"),
            Json("result", "`result` flattened likewise (`result.tools[].name`)"),
            Json("error", "`error` flattened likewise (`error.code`)"),
            .. pairing ? [new ObservationField("request.method", FieldType.Text, One, "method of the request with the same id sent earlier by the other side, when seen")] : Array.Empty<ObservationField>(),
            new("batch", FieldType.Boolean, One, "`true` when the message was part of a batch"),
            new("carrier", FieldType.Text, One, "`http.request`, `http.response` or `sse`"),
            .. RequestOf("http.", "that carried it, or that the response or stream answers"),
            new("http.status", FieldType.Number, One, "status of the response that carried it (`http.response` and `sse` carriers)"),
            new("http.content_type", FieldType.Text, One, "media type of that response"),
        ]);

    private static List<ObservationKindSpec> Build() =>
    [
        new(ObservationKinds.HttpRequest, "An HTTP request, when its head and body are complete (HTTP/1.x and HTTP/2).",
        [
            new("method", FieldType.Text, One, "request method (`POST`; HTTP/2 `:method`)"),
            new("target", FieldType.Text, One, "request target as sent (`/mcp?x=1`; HTTP/2 `:path`)"),
            new("version", FieldType.Text, One, "`HTTP/1.1`, `HTTP/1.0` or `HTTP/2`"),
            new("path", FieldType.Text, One, "target before `?`, absolute-form reduced to its path"),
            new("query", FieldType.Text, One, "target after `?`, not decoded"),
            new("host", FieldType.Text, One, "Host header (HTTP/2 `:authority`), lower-case, port and IPv6 brackets removed"),
            Headers("header.", RequestHeaders, "selected request headers; `authorization` keeps only its scheme"),
            .. Body,
        ]),
        new(ObservationKinds.HttpResponse, "An HTTP response (interim `1xx` too), paired with its request.",
        [
            new("status", FieldType.Number, One, "status code"),
            new("reason", FieldType.Text, One, "reason phrase (empty for HTTP/2)"),
            new("version", FieldType.Text, One, "`HTTP/1.1`, `HTTP/1.0` or `HTTP/2`"),
            new("content_type", FieldType.Text, One, "media type of Content-Type, lower-case, parameters removed"),
            Headers("header.", ResponseHeaders, "selected response headers"),
            .. Body,
            .. RequestOf("request.", "this answers"),
        ]),
        new(ObservationKinds.SseEvent, "One Server-Sent Event of a `text/event-stream` response body.",
        [
            new("event", FieldType.Text, One, "event type; `message` when the event has no `event:` line"),
            new("data", FieldType.Text, One, "the data lines joined with `\\n`, first 4 KiB"),
            new("id", FieldType.Text, One, "the `id:` line, when present"),
            new("retry", FieldType.Number, One, "the `retry:` line, when all digits"),
            .. RequestOf("request.", "that opened the stream"),
        ]),
        JsonRpc(ObservationKinds.JsonRpcRequest, "A JSON-RPC 2.0 message with `method` and `id`.", method: true, id: true, pairing: false),
        JsonRpc(ObservationKinds.JsonRpcNotification, "A JSON-RPC 2.0 message with `method` and no `id`.", method: true, id: false, pairing: false),
        JsonRpc(ObservationKinds.JsonRpcResponse, "A JSON-RPC 2.0 message with `result` and no `method`.", method: false, id: true, pairing: true),
        JsonRpc(ObservationKinds.JsonRpcError, "A JSON-RPC 2.0 message with `error` and no `method`.", method: false, id: true, pairing: true),
        new(ObservationKinds.Dns, "One DNS message over UDP or TCP port 53, query or response.",
        [
            new("id", FieldType.Number, One, "the message id: pairs an answer with its query"),
            new("name", FieldType.Text, One, "the first question's name, lower-case, no trailing dot"),
            new("type", FieldType.Text, One, "question type mnemonic (`A`, `AAAA`, `HTTPS`, ...; else `TYPE123`)"),
            new("response", FieldType.Boolean, One, "`true` for a response"),
            new("rcode", FieldType.Text, One, "`NOERROR`, `NXDOMAIN`, ... (responses)"),
            new("answer", FieldType.Text, Many, "each answer's data: addresses, names (lower-case), TXT text (255 chars)"),
            new("answer.name", FieldType.Text, Many, "each answer's owner name"),
        ]),
        new(ObservationKinds.TlsClientHello, "The first ClientHello of a TCP connection, reassembled across segments.",
        [
            new("sni", FieldType.Text, One, "server_name, lower-case"),
            new("alpn", FieldType.Text, Many, "each offered ALPN protocol (`h2`, `http/1.1`)"),
            new("version", FieldType.Text, One, "highest offered version (`TLS1.3`, `TLS1.2`, ...; unknown as `0x7f1c`)"),
            new("ja4", FieldType.Text, One, "JA4 fingerprint of the ClientHello"),
        ]),
        new(ObservationKinds.TlsServerHello, "The ServerHello answering that ClientHello.",
        [
            new("version", FieldType.Text, One, "negotiated version (`1.3`, `1.2`, ...; unknown as `0x7f1c`)"),
            new("cipher", FieldType.Text, One, "chosen cipher suite, IANA name for AEAD suites, else `0x009c`-style"),
            new("alpn", FieldType.Text, One, "chosen ALPN protocol (TLS 1.3: only when decrypted)"),
            new("ja4s", FieldType.Text, One, "JA4S fingerprint of the ServerHello"),
        ]),
        new(ObservationKinds.TlsShape, "A TLS flow without keys that the shape model scored as MCP (by `scan`, at the end of a file).",
        [
            new("score", FieldType.Text, One, "the model's probability that the flow is MCP, three decimals"),
            new("clients", FieldType.Text, One, "`several` when more than one client had MCP-shaped flows to the server, else `one`"),
            new("sni", FieldType.Text, One, "server_name of the ClientHello, when sent"),
        ]),
    ];
}
