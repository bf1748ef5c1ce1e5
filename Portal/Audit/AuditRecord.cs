namespace ShadowMcp.Portal.Audit;

/// <summary>What the gateway reports about one request; the audit log adds time, sequence and chain hashes.</summary>
internal sealed record AuditRecord(
    string User,
    string Group,
    string? ClientName,
    string? ClientVersion,
    string? Server,
    string Method,
    string? Tool,
    long ArgumentBytes,
    string? ArgumentHash,
    string? Arguments,
    double DurationMs,
    string Outcome,
    string Decision,
    string? DlpHits,
    string? ExecutionId = null);
