using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ShadowMcp.Portal.Hosting;

/// <summary>
/// What the portal's middleware needs from a POST /mcp body before the MCP SDK reads it: whether it is JSON at all
/// (<see cref="JsonParseGuardMiddleware"/>) and, for an initialize request, its id (<see cref="CallerSessionLimitMiddleware"/>).
/// The body is buffered (bounded by maxRequestBytes), read and parsed once per request, and rewound for the SDK.
/// </summary>
internal sealed class McpRequestBody
{
    private static readonly object Item = new();
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 256 };

    private McpRequestBody(bool isJson, JsonElement? initializeId)
    {
        IsJson = isJson;
        InitializeId = initializeId;
    }

    /// <summary>True when the body is one well-formed JSON value (or empty: the endpoint refuses that itself).</summary>
    public bool IsJson { get; }

    /// <summary>The id of a JSON-RPC initialize request (JSON null when it has none); null for any other body.</summary>
    public JsonElement? InitializeId { get; }

    /// <summary>
    /// Reads the request's body the first time it is asked for and keeps what it found for the rest of the request;
    /// the body stream is left at position 0.
    /// </summary>
    public static async Task<McpRequestBody> ReadAsync(HttpContext context, long maxBytes)
    {
        if (context.Items[Item] is McpRequestBody read) return read;
        context.Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: maxBytes);
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var n = await context.Request.Body.ReadAsync(buffer.GetMemory(16 * 1024), context.RequestAborted);
                if (n == 0) break;
                buffer.Advance(n);
            }
        }
        finally
        {
            context.Request.Body.Position = 0;
        }
        var body = Parse(buffer.WrittenSpan);
        context.Items[Item] = body;
        return body;
    }

    /// <summary>One pass over the body: it checks the whole document and reads the top-level members it needs.</summary>
    internal static McpRequestBody Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return new McpRequestBody(true, null);
        var reader = new Utf8JsonReader(body, Options);
        try
        {
            JsonElement? initializeId = null;
            // Whitespace alone throws here (no JSON value), as it should.
            if (!reader.Read()) return new McpRequestBody(true, null);
            if (reader.TokenType == JsonTokenType.StartObject) initializeId = ReadInitialize(ref reader);
            else reader.Skip();
            // Anything after the first value makes the body invalid JSON: this Read throws on it.
            while (reader.Read()) { }
            return new McpRequestBody(true, initializeId);
        }
        catch (JsonException)
        {
            return new McpRequestBody(false, null);
        }
    }

    /// <summary>
    /// Reads a top-level object's members, each value skipped whole so no nested member is taken for a top-level one.
    /// Every <c>method</c> is read: with the key twice, a deserializer that keeps the last one would open a session
    /// that this check had let pass as another method.
    /// </summary>
    private static JsonElement? ReadInitialize(ref Utf8JsonReader reader)
    {
        var initialize = false;
        JsonElement id = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("method"u8))
            {
                reader.Read();
                initialize |= reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("initialize"u8);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number) id = JsonElement.ParseValue(ref reader);
                else reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (!initialize) return null;
        return id.ValueKind == JsonValueKind.Undefined ? NullId : id;
    }

    private static readonly JsonElement NullId = JsonDocument.Parse("null").RootElement;
}
