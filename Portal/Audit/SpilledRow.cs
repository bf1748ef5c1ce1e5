using System.Text.Json.Serialization;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// One line of the fallback file: a row the store would not take before the portal stopped, with the time and
/// replica the chain would have given it. The same type writes the line (<see cref="AuditLog"/>) and reads it back
/// (`audit import`), so what is written is what is imported.
/// </summary>
/// <param name="Unconfirmed">Set when the row's batch was committed without an answer: it may be in the chain already.
/// Left out of the line when null, so other lines keep the format older files have.</param>
/// <param name="TornLineBefore">On the first row of a spill that found the file ending in a line without its end (a
/// portal killed while writing it): that line's length in bytes. The spill ended it with a newline, so the import
/// can tell the line was torn rather than written wrong. Left out when null.</param>
internal sealed record SpilledRow(
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("replica")] string? Replica,
    [property: JsonPropertyName("record")] AuditRecord Record,
    [property: JsonPropertyName("unconfirmed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    SpilledCommit? Unconfirmed = null,
    [property: JsonPropertyName("tornLineBefore"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    long? TornLineBefore = null);
