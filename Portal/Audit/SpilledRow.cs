using System.Text.Json.Serialization;

namespace ShadowMcp.Portal.Audit;

/// <summary>
/// One line of the fallback file: a row the store would not take before the portal stopped, with the time and
/// replica the chain would have given it. The same type writes the line (<see cref="AuditLog"/>) and reads it back
/// (`audit import`), so what is written is what is imported.
/// </summary>
/// <param name="Unconfirmed">Set when the row's batch was committed without an answer: it may be in the chain already.
/// Left out of the line when null, so other lines keep the format older files have.</param>
internal sealed record SpilledRow(
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("replica")] string? Replica,
    [property: JsonPropertyName("record")] AuditRecord Record,
    [property: JsonPropertyName("unconfirmed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    SpilledCommit? Unconfirmed = null);
