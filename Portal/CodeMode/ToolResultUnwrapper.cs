using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>
/// What `await codemode.x(args)` yields: structuredContent, else the text parsed as JSON, else the text.
/// An isError result becomes a thrown Error carrying the upstream's message.
/// </summary>
internal static class ToolResultUnwrapper
{
    public static string ToEnvelope(CallToolResult result)
    {
        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text));
        if (result.IsError == true) return Envelope.Error(text.Length > 0 ? text : "the tool reported an error");
        if (result.StructuredContent is { } structured) return Envelope.Value(JsonSerializer.SerializeToNode(structured, McpJsonUtilities.DefaultOptions));
        if (result.Content.Count > 0 && result.Content.All(c => c is TextContentBlock)) return Envelope.Value(ParseOrText(text));
        return Envelope.Value(JsonSerializer.SerializeToNode(result.Content, McpJsonUtilities.DefaultOptions));
    }

    private static JsonNode? ParseOrText(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length > 0 && (trimmed[0] is '{' or '[' or '"' || trimmed is "true" or "false" or "null" || char.IsAsciiDigit(trimmed[0]) || trimmed[0] == '-'))
        {
            try { return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }); }
            catch (JsonException) { /* not JSON: hand back the text */ }
        }
        return JsonValue.Create(text);
    }
}
