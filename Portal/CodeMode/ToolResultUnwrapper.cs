using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>
/// What `await codemode.x(args)` yields: structuredContent, else the text parsed as JSON, else the text.
/// An isError result becomes a thrown Error carrying the upstream's message. This is the decoded value the
/// script will see, so DLP and tokenization (<see cref="ResultSanitizer"/>) run on it, not on the wire form.
/// </summary>
internal static class ToolResultUnwrapper
{
    public static (JsonNode? Value, string? Error) Decode(CallToolResult result)
    {
        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text));
        if (result.IsError == true) return (null, text.Length > 0 ? text : "the tool reported an error");
        if (result.StructuredContent is { } structured) return (JsonSerializer.SerializeToNode(structured, McpJsonUtilities.DefaultOptions), null);
        if (result.Content.Count > 0 && result.Content.All(c => c is TextContentBlock)) return (ParseOrText(text), null);
        return (JsonSerializer.SerializeToNode(result.Content, McpJsonUtilities.DefaultOptions), null);
    }

    public static string ToEnvelope(CallToolResult result)
    {
        var (value, error) = Decode(result);
        return error is not null ? Envelope.Error(error) : Envelope.Value(value);
    }

    /// <summary>The text as JSON when it is JSON (an object, array, string, number or literal), else null.</summary>
    public static JsonNode? TryParse(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length == 0 || !(trimmed[0] is '{' or '[' or '"' or '-' || char.IsAsciiDigit(trimmed[0]) || trimmed is "true" or "false" or "null"))
            return null;
        try { return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }); }
        catch (JsonException) { return null; }
    }

    private static JsonNode? ParseOrText(string text) =>
        TryParse(text) is { } parsed ? parsed : text.AsSpan().Trim() is "null" ? null : JsonValue.Create(text);
}
