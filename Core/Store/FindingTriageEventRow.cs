namespace ShadowMcp.Core.Store;

/// <summary>
/// One entry of a finding's triage history: who did what when. Only ever added, never changed or removed, so the
/// history is the audit trail of every decision (a note alone is an entry whose status did not change).
/// </summary>
public sealed class FindingTriageEventRow
{
    public long Id { get; set; }
    public required string EndpointKey { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    public required string FromStatus { get; set; }
    public required string ToStatus { get; set; }
    public string? FromOwner { get; set; }
    public string? ToOwner { get; set; }
    public string? Note { get; set; }
}
