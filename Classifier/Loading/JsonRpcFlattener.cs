using System.Text.Json;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Loading;

/// <summary>
/// Turns one JSON-RPC message into the fields the Scanner emits for it (docs/observations.md): members
/// flattened to dotted paths, arrays as <c>[]</c>, objects and arrays present as <c>{}</c> / <c>[]</c>.
/// Used for rule examples and tests, so a rule author can write the message as it appears on the wire.
/// </summary>
internal static class JsonRpcFlattener
{
    private const int MaxDepth = 6;
    private const int MaxFields = 256;
    private const int MaxString = 512;

    /// <summary>
    /// Flattens <paramref name="json"/>. Returns false with an error for text that is not JSON or not a single
    /// object; returns true with a null kind when it is JSON but not JSON-RPC 2.0 (the Scanner emits nothing).
    /// </summary>
    public static bool TryFlatten(string json, out string? kind, out FieldBag fields, out string? error)
    {
        kind = null;
        fields = new FieldBag(16);
        error = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            error = $"not valid JSON: {ex.Message}";
            return false;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "a JSON-RPC example must be one JSON object (give batch elements one by one)";
                return false;
            }
            if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
                return true;

            var hasMethod = root.TryGetProperty("method", out _);
            var hasId = root.TryGetProperty("id", out var id) && id.ValueKind != JsonValueKind.Null;
            kind = hasMethod
                ? (hasId ? ObservationKinds.JsonRpcRequest : ObservationKinds.JsonRpcNotification)
                : root.TryGetProperty("error", out _) ? ObservationKinds.JsonRpcError : ObservationKinds.JsonRpcResponse;

            foreach (var member in root.EnumerateObject())
            {
                if (member.Name is "jsonrpc" or "method" or "id")
                {
                    if (member.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                        Add(fields, member.Name, Scalar(member.Value));
                    continue;
                }
                Flatten(fields, member.Name, member.Value, 1);
            }
            return true;
        }
    }

    private static void Flatten(FieldBag fields, string path, JsonElement element, int depth)
    {
        if (fields.Count >= MaxFields) return;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                Add(fields, path, FieldBag.ObjectMarker);
                if (depth >= MaxDepth) return;
                foreach (var member in element.EnumerateObject())
                    Flatten(fields, path + "." + member.Name, member.Value, depth + 1);
                break;
            case JsonValueKind.Array:
                Add(fields, path, FieldBag.ArrayMarker);
                if (depth >= MaxDepth) return;
                foreach (var item in element.EnumerateArray())
                    Flatten(fields, path + "[]", item, depth + 1);
                break;
            default:
                Add(fields, path, Scalar(element));
                break;
        }
    }

    private static string Scalar(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => Cut(element.GetString() ?? ""),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Number => element.GetRawText(),
        _ => element.GetRawText(),
    };

    private static string Cut(string text) => text.Length <= MaxString ? text : text[..MaxString];

    private static void Add(FieldBag fields, string path, string value)
    {
        if (fields.Count < MaxFields) fields.Add(path, value);
    }
}
