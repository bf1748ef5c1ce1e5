namespace ShadowMcp.Core.Triage;

/// <summary>
/// One triage action on one or more findings: a new status, a new owner ("" clears it) and a note; null leaves that
/// part as it is. Each finding the action touches gets one history entry.
/// </summary>
public sealed record TriageChange(TriageStatus? Status = null, string? Owner = null, string? Note = null)
{
    public const int MaxOwnerLength = 200;
    public const int MaxNoteLength = 4000;
    public const int MaxActorLength = 200;

    public bool IsEmpty => Status is null && Owner is null && string.IsNullOrWhiteSpace(Note);
}
