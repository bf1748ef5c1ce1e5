using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>The JSON text a tool call hands back to the script: {"value":…} or {"error":"…"}.</summary>
internal static class Envelope
{
    public static string Value(JsonNode? value) => new JsonObject { ["value"] = value }.ToJsonString();

    public static string Error(string message) => JsonSerializer.Serialize(new { error = message });
}
