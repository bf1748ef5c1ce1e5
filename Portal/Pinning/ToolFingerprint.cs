using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace ShadowMcp.Portal.Pinning;

/// <summary>
/// SHA-256 over a canonical (key-sorted) JSON of everything in a tool definition that changes what calling it
/// means: name, title, description, input/output schemas and the annotations (read-only, destructive, idempotent,
/// open-world hints and their title). Policy reads the hints, so a flipped hint must be drift like a new schema.
/// </summary>
internal static class ToolFingerprint
{
    public static string Compute(Tool tool)
    {
        var canonical = Parts(tool);
        canonical["title"] = tool.Title;
        canonical["annotations"] = Canonical(JsonNode.Parse(AnnotationsJson(tool.Annotations)));
        return Hash(canonical);
    }

    /// <summary>
    /// The fingerprint of a name an upstream lists more than once: its definitions together, in listed order. The
    /// portal exposes only the first, so a second, different definition added after approval is drift like a
    /// changed one (it would otherwise ride along unpinned, and an upstream may run either).
    /// </summary>
    public static string Compute(IReadOnlyList<Tool> definitions)
    {
        var each = definitions.Select(Compute).Distinct(StringComparer.Ordinal).ToList();
        return each.Count == 1 ? each[0] : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", each))));
    }

    /// <summary>The fingerprint pins had before annotations and title were covered; read to upgrade them.</summary>
    public static string ComputeLegacy(Tool tool) => Hash(Parts(tool));

    /// <summary>The annotations as stored with a pin ("{}" when the tool has none).</summary>
    public static string AnnotationsJson(ToolAnnotations? annotations) => annotations is null
        ? "{}"
        : JsonSerializer.Serialize(annotations, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ToolAnnotations)));

    public static ToolAnnotations? ParseAnnotations(string? json) => json is null or "{}"
        ? null
        : (ToolAnnotations?)JsonSerializer.Deserialize(json, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ToolAnnotations)));

    private static JsonObject Parts(Tool tool) => new()
    {
        ["name"] = tool.Name,
        ["description"] = tool.Description,
        ["inputSchema"] = Canonical(JsonNode.Parse(tool.InputSchema.GetRawText())),
        ["outputSchema"] = tool.OutputSchema is { } o ? Canonical(JsonNode.Parse(o.GetRawText())) : null,
    };

    private static string Hash(JsonObject canonical) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToJsonString())));

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Canonical).ToArray()),
        null => null,
        _ => JsonNode.Parse(node.ToJsonString(new JsonSerializerOptions())),
    };
}
