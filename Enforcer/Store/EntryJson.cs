using System.Buffers;
using System.Text;
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

    /// <summary>
    /// The entries in <see cref="BlockEntry.Order"/>, as <c>JsonSerializer.Serialize(entries, Options)</c> writes
    /// them, byte for byte. Written by hand: a run writes states of 30,000 entries several times, and the
    /// reflection serializer took a few hundred milliseconds for each.
    /// </summary>
    public static string Write(IEnumerable<BlockEntry> entries)
    {
        var list = entries as IReadOnlyList<BlockEntry> ?? [.. entries];
        // Most lists come sorted from a diff; sorting is stable, so a sorted list is written as it is.
        if (!IsSorted(list)) list = [.. list.Order(BlockEntry.Order)];
        var buffer = new ArrayBufferWriter<byte>(list.Count * 96 + 2);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var e in list)
            {
                w.WriteStartObject();
                w.WriteString(KindProperty, KindName(e.Kind));
                w.WriteString(TargetProperty, e.Target);
                if (e.Port is { } port) w.WriteNumber(PortProperty, port);
                if (e.Path is { } path) w.WriteString(PathProperty, path);
                w.WriteString(ActionProperty, e.Action);
                w.WriteString(KeyProperty, e.Key);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyList<BlockEntry> Read(string json) => JsonSerializer.Deserialize<List<BlockEntry>>(json, Options) ?? [];

    private static bool IsSorted(IReadOnlyList<BlockEntry> list)
    {
        for (var i = 1; i < list.Count; i++)
            if (BlockEntry.Order.Compare(list[i - 1], list[i]) > 0) return false;
        return true;
    }

    private static string KindName(BlockKind kind) => kind switch
    {
        BlockKind.Address => "address",
        BlockKind.AddressPort => "address-port",
        BlockKind.Host => "host",
        BlockKind.HostPath => "host-path",
        _ => JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString()),
    };

    private static readonly JsonEncodedText KindProperty = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText TargetProperty = JsonEncodedText.Encode("target");
    private static readonly JsonEncodedText PortProperty = JsonEncodedText.Encode("port");
    private static readonly JsonEncodedText PathProperty = JsonEncodedText.Encode("path");
    private static readonly JsonEncodedText ActionProperty = JsonEncodedText.Encode("action");
    private static readonly JsonEncodedText KeyProperty = JsonEncodedText.Encode("key");
}
