using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace ShadowMcp.Portal.Pinning;

/// <summary>SHA-256 over a canonical (key-sorted) JSON of a tool's name, description and input/output schemas.</summary>
internal static class ToolFingerprint
{
    public static string Compute(Tool tool)
    {
        var canonical = new JsonObject
        {
            ["name"] = tool.Name,
            ["description"] = tool.Description,
            ["inputSchema"] = Canonical(JsonNode.Parse(tool.InputSchema.GetRawText())),
            ["outputSchema"] = tool.OutputSchema is { } o ? Canonical(JsonNode.Parse(o.GetRawText())) : null,
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToJsonString())));
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Canonical).ToArray()),
        null => null,
        _ => JsonNode.Parse(node.ToJsonString(new JsonSerializerOptions())),
    };
}
