namespace ShadowMcp.Portal.Reading;

/// <summary>
/// One audit row as the SIEM export sends it: everything but the call's arguments (which may hold what DLP is there
/// to keep in), with the chain hashes so a SIEM can check the chain too.
/// </summary>
public sealed record PortalAuditEvent(long Seq, DateTimeOffset Time, string User, string Group, string? ClientName, string? ClientVersion,
    string? Server, string Method, string? Tool, long ArgumentBytes, string? ArgumentHash, double DurationMs, string Outcome, string Decision,
    string? DlpHits, string? ExecutionId, string PrevHash, string Hash, string? HashKind);
