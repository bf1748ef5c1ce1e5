using System.Text.Json;
using ShadowMcp.Core.Text;

namespace ShadowMcp.Core.Observations.JsonRpc;

/// <summary>
/// Flattens one JSON value into dotted paths: objects add <c>{}</c> at their path, arrays add <c>[]</c> and put
/// their elements under <c>path[]</c>. Containers deeper than the limit keep their marker and skip their content.
/// </summary>
internal static class JsonFlattener
{
    // Member names are identifiers in practice; a longer one is cut so a hostile key cannot bloat every path.
    private const int MaxNameChars = 128;

    /// <summary>The reader is on the value's first token; on return it is on the value's last token.</summary>
    public static void Flatten(ref Utf8JsonReader reader, string path, int depth, FieldBag fields, ref int budget, JsonRpcLimits limits)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                if (!Add(fields, path, FieldBag.ObjectMarker, ref budget) || depth >= limits.MaxDepth) { reader.Skip(); return; }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string memberPath = !reader.ValueIsEscaped && reader.ValueSpan.Length <= MemberPaths.MaxNameBytes
                        ? MemberPaths.Of(path, reader.ValueSpan)
                        : StringCache.Concat(path, ".", reader.ValueIsEscaped ? JsonRpcFields.ReadString(ref reader, MaxNameChars) : Name(reader.ValueSpan));
                    reader.Read();
                    Flatten(ref reader, memberPath, depth + 1, fields, ref budget, limits);
                }
                return;
            case JsonTokenType.StartArray:
                if (!Add(fields, path, FieldBag.ArrayMarker, ref budget) || depth >= limits.MaxDepth) { reader.Skip(); return; }
                string elementPath = StringCache.Concat(path, "[]");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    Flatten(ref reader, elementPath, depth + 1, fields, ref budget, limits);
                return;
            case JsonTokenType.String:
                if (budget > 0) Add(fields, path, Value(ref reader, limits), ref budget);
                return;
            case JsonTokenType.Number:
                if (budget > 0) Add(fields, path, Number(reader.ValueSpan, limits), ref budget);
                return;
            case JsonTokenType.True:
                Add(fields, path, "true", ref budget);
                return;
            case JsonTokenType.False:
                Add(fields, path, "false", ref budget);
                return;
            case JsonTokenType.Null:
                Add(fields, path, "null", ref budget);
                return;
        }
    }

    /// <summary>An unescaped member name; short ones (all real ones) come from the shared table.</summary>
    private static string Name(ReadOnlySpan<byte> raw) =>
        raw.Length <= StringCache.MaxChars ? StringCache.FromUtf8(raw) : JsonStringText.Read(raw, escaped: false, MaxNameChars);

    /// <summary>
    /// A string value; short unescaped ones (versions, method and tool names, enum-like values) come from the
    /// shared table. Longer values, where ids, tokens and free text live, are made per message.
    /// </summary>
    internal static string Value(ref Utf8JsonReader reader, JsonRpcLimits limits) =>
        !reader.ValueIsEscaped && reader.ValueSpan.Length <= CachedValueBytes && CachedValueBytes <= limits.MaxStringChars
            ? StringCache.FromUtf8(reader.ValueSpan, CachedValueBytes)
            : JsonRpcFields.ReadString(ref reader, limits.MaxStringChars);

    private const int CachedValueBytes = 32;

    /// <summary>
    /// A number's text. Short ones (counts, flags, small ids; "1," is a whole field in two bytes) come from the shared
    /// table, which they cannot fill: a number token has 15 possible chars, so at most 3,375 of three chars. Made
    /// per field, a flood of them cost 11 bytes allocated per byte received.
    /// </summary>
    private static string Number(ReadOnlySpan<byte> raw, JsonRpcLimits limits) =>
        raw.Length <= SmallNumberBytes && SmallNumberBytes <= limits.MaxStringChars
            ? StringCache.FromUtf8(raw)
            : JsonRpcFields.NumberText(raw, limits.MaxStringChars);

    private const int SmallNumberBytes = 3;

    private static bool Add(FieldBag fields, string path, string value, ref int budget)
    {
        if (budget <= 0) return false;
        budget--;
        fields.Add(path, value);
        return true;
    }
}
