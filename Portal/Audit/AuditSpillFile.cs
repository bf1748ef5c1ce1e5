using System.Text.Json;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// The fallback file's format: one <see cref="SpilledRow"/> per line, as JSON. Reading is strict, because a row
/// read wrongly would be chained and signed wrongly for good: a field this version does not know, a field given
/// twice, a missing field or a null where the row needs a value is refused, never dropped or guessed.
/// </summary>
internal static class AuditSpillFile
{
    // Writing keeps the serializer's defaults: the format fallback files have always had.
    private static readonly JsonSerializerOptions Write = new();

    private static readonly JsonSerializerOptions Read = new()
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowDuplicateProperties = false,
    };

    public static string Line(SpilledRow row) => JsonSerializer.Serialize(row, Write);

    /// <summary>Reads one line (UTF-8, without its line end).</summary>
    /// <exception cref="JsonException">Not a row as the portal writes it; the message says why, never the line's content.</exception>
    public static SpilledRow Parse(ReadOnlySpan<byte> line)
    {
        var row = JsonSerializer.Deserialize<SpilledRow>(line, Read) ?? throw new JsonException("the line is null, not a row");
        if (row.Unconfirmed is { } u && !(u.Seq >= 1 && u.HeadSeq >= u.Seq && IsHash(u.Head)))
            throw new JsonException("'unconfirmed' does not name a place in the chain (seq 1 or more, headSeq from seq on, head a SHA-256 in hex)");
        if (row.TornLineBefore is <= 0) throw new JsonException("'tornLineBefore' is not a length in bytes");
        return row;
    }

    /// <summary>
    /// Whether a line that is not a row is one cut short: the start of a JSON object that ends before the object does,
    /// with nothing invalid up to there. That is what a write stopped mid-line (the portal killed) leaves; a line
    /// with anything wrong in it, or a whole object, is not one.
    /// </summary>
    public static bool IsCutShort(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty || line[0] != (byte)'{') return false;
        // Not the final block: a token the line ends inside is "needs more" (Read returns false), not an error.
        var reader = new Utf8JsonReader(line, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0) return false;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsHash(string s) => s.Length == 64 && s.All(char.IsAsciiHexDigitLower);
}
