namespace ShadowMcp.Admin.Triage;

/// <summary>What a triage action did, in a sentence for the page; <see cref="Succeeded"/> false when nothing was recorded.</summary>
internal sealed record TriageOutcome(bool Succeeded, string Message, int Changed = 0);
