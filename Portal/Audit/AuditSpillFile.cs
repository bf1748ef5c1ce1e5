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
        return row;
    }

    private static bool IsHash(string s) => s.Length == 64 && s.All(char.IsAsciiHexDigitLower);
}
