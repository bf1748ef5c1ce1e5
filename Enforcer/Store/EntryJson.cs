using System.Text.Json;
using System.Text.Json.Serialization;
using ShadowMcp.Enforcer.Planning;

namespace ShadowMcp.Enforcer.Store;

/// <summary>How block entries are written into the store and JSON plans.</summary>
public static class EntryJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write(IEnumerable<BlockEntry> entries) => JsonSerializer.Serialize(entries.Order(BlockEntry.Order).ToList(), Options);

    public static IReadOnlyList<BlockEntry> Read(string json) => JsonSerializer.Deserialize<List<BlockEntry>>(json, Options) ?? [];
}
