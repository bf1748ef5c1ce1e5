using System.Text;
using System.Text.Json;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Scanner.JsonRpc;

/// <summary>
/// Reads JSON-RPC 2.0 messages (one object or a batch array) from a bounded byte prefix with
/// <see cref="Utf8JsonReader"/>. Invalid or truncated JSON yields the messages completed before the fault.
/// Recursion is bounded by the flattening depth; deeper values are skipped by the reader itself.
/// </summary>
internal static class JsonRpcExtractor
{
    // Deep enough for any real message, low enough that hostile nesting is refused quickly.
    private const int ReaderMaxDepth = 256;

    /// <summary>Adds the JSON-RPC messages found in <paramref name="json"/>; returns false when the JSON was invalid or cut.</summary>
    public static bool Extract(ReadOnlySpan<byte> json, JsonRpcLimits limits, List<JsonRpcMessage> output)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = ReaderMaxDepth });
        try
        {
            if (!reader.Read()) return false;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                var single = ReadMessage(ref reader, batch: false, limits);
                if (single is not null) output.Add(single);
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); continue; }
                    var element = ReadMessage(ref reader, batch: true, limits);
                    if (element is not null) output.Add(element);
                }
            }
            return true;
        }
        catch (JsonException)
        {
            // Truncated prefix or hostile input: what was complete is already in output.
            return false;
        }
    }

    private static JsonRpcMessage? ReadMessage(ref Utf8JsonReader reader, bool batch, JsonRpcLimits limits)
    {
        string? version = null, method = null, id = null, idKey = null;
        bool hasResult = false, hasError = false;
        var members = new FieldBag();
        int budget = limits.MaxFields;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("jsonrpc"u8))
            {
                reader.Read();
                version = reader.TokenType == JsonTokenType.String ? ReadString(ref reader, 16) : SkipValue(ref reader);
            }
            else if (reader.ValueTextEquals("method"u8))
            {
                reader.Read();
                method = reader.TokenType == JsonTokenType.String ? ReadString(ref reader, limits.MaxStringChars) : SkipValue(ref reader);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                (id, idKey) = reader.TokenType switch
                {
                    JsonTokenType.String => ReadId(ref reader, "s:", limits),
                    JsonTokenType.Number => ReadId(ref reader, "n:", limits),
                    _ => (SkipValue(ref reader), null),
                };
            }
            else if (reader.ValueTextEquals("params"u8)) { reader.Read(); JsonFlattener.Flatten(ref reader, "params", 0, members, ref budget, limits); }
            else if (reader.ValueTextEquals("result"u8)) { reader.Read(); hasResult = true; JsonFlattener.Flatten(ref reader, "result", 0, members, ref budget, limits); }
            else if (reader.ValueTextEquals("error"u8)) { reader.Read(); hasError = true; JsonFlattener.Flatten(ref reader, "error", 0, members, ref budget, limits); }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (version != "2.0") return null;
        string kind;
        if (method is not null) kind = id is null ? ObservationKinds.JsonRpcNotification : ObservationKinds.JsonRpcRequest;
        else if (hasError) kind = ObservationKinds.JsonRpcError;
        else if (hasResult) kind = ObservationKinds.JsonRpcResponse;
        else return null;
        return new JsonRpcMessage { Kind = kind, Method = method, Id = id, IdKey = idKey, Batch = batch, Members = members };
    }

    private static (string?, string?) ReadId(ref Utf8JsonReader reader, string type, JsonRpcLimits limits)
    {
        string text = reader.TokenType == JsonTokenType.String
            ? ReadString(ref reader, limits.MaxStringChars)
            : NumberText(reader.ValueSpan, limits.MaxStringChars);
        return (text, type + text);
    }

    /// <summary>The reader always reads one span here, so ValueSpan holds the whole token.</summary>
    internal static string ReadString(ref Utf8JsonReader reader, int maxChars) =>
        JsonStringText.Read(reader.ValueSpan, reader.ValueIsEscaped, maxChars);

    /// <summary>A number token's text, cut like a string so a megabyte of digits stays small.</summary>
    internal static string NumberText(ReadOnlySpan<byte> raw, int maxChars) =>
        Encoding.ASCII.GetString(raw.Length > maxChars ? raw[..maxChars] : raw);

    private static string? SkipValue(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }
}
