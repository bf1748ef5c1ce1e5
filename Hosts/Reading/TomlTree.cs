using System.Globalization;
using System.Text.Json.Nodes;
using Tomlyn;
using Tomlyn.Model;

namespace ShadowMcp.Hosts.Reading;

/// <summary>TOML (Tomlyn) to a JSON tree; Tomlyn enforces the depth limit while parsing.</summary>
internal static class TomlTree
{
    public static JsonNode Parse(string text, string path, int maxDepth)
    {
        var table = TomlSerializer.Deserialize<TomlTable>(text, new TomlSerializerOptions { MaxDepth = maxDepth, SourceName = path })
            ?? new TomlTable();
        return Convert(table)!;
    }

    private static JsonNode? Convert(object? value) => value switch
    {
        TomlTable t => new JsonObject(t.Select(kv => KeyValuePair.Create(kv.Key, Convert(kv.Value)))),
        TomlTableArray a => new JsonArray([.. a.Select(Convert)]),
        TomlArray a => new JsonArray([.. a.Select(Convert)]),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        null => null,
        _ => JsonValue.Create(System.Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
