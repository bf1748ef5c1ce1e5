namespace ShadowMcp.Core.Triage;

/// <summary>
/// One entry of a finding's triage history: who changed what when (UTC). A note alone is an entry whose status and
/// owner did not change. <see cref="Id"/> orders entries made in the same instant.
/// </summary>
public sealed record TriageEvent(
    long Id, DateTime At, string Actor, TriageStatus FromStatus, TriageStatus ToStatus, string? FromOwner, string? ToOwner, string? Note);
