namespace ShadowMcp.Core.Triage;

/// <summary>
/// Where one finding stands with the security team: its status and owner, and since when and by whom it has that
/// status (both null while nobody has triaged it).
/// </summary>
public sealed record TriageState(string EndpointKey, TriageStatus Status, string? Owner, DateTime? StatusSince, string? StatusBy)
{
    /// <summary>A finding nobody has triaged yet: new, with no owner.</summary>
    public static TriageState Untriaged(string endpointKey) => new(endpointKey, TriageStatus.New, null, null, null);
}
