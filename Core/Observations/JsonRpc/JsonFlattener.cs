using System.Text.Json;

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
                    string name = JsonRpcFields.ReadString(ref reader, MaxNameChars);
                    reader.Read();
                    Flatten(ref reader, path + "." + name, depth + 1, fields, ref budget, limits);
                }
                return;
            case JsonTokenType.StartArray:
                if (!Add(fields, path, FieldBag.ArrayMarker, ref budget) || depth >= limits.MaxDepth) { reader.Skip(); return; }
                string elementPath = path + "[]";
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    Flatten(ref reader, elementPath, depth + 1, fields, ref budget, limits);
                return;
            case JsonTokenType.String:
                if (budget > 0) Add(fields, path, JsonRpcFields.ReadString(ref reader, limits.MaxStringChars), ref budget);
                return;
            case JsonTokenType.Number:
                if (budget > 0) Add(fields, path, JsonRpcFields.NumberText(reader.ValueSpan, limits.MaxStringChars), ref budget);
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

    private static bool Add(FieldBag fields, string path, string value, ref int budget)
    {
        if (budget <= 0) return false;
        budget--;
        fields.Add(path, value);
        return true;
    }
}
