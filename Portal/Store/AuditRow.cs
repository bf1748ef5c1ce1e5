namespace ShadowMcp.Portal.Store;

/// <summary>One request through the portal. Rows are chained: Hash covers PrevHash and every field but Seq.</summary>
internal sealed class AuditRow
{
    public long Seq { get; set; }
    public DateTimeOffset Time { get; set; }
    public string User { get; set; } = "";
    public string Group { get; set; } = "";
    public string? ClientName { get; set; }
    public string? ClientVersion { get; set; }
    public string? Server { get; set; }
    public string Method { get; set; } = "";
    public string? Tool { get; set; }
    public long ArgumentBytes { get; set; }
    public string? ArgumentHash { get; set; }
    public string? Arguments { get; set; }
    public double DurationMs { get; set; }
    public string Outcome { get; set; } = "";
    public string Decision { get; set; } = "";
    public string? DlpHits { get; set; }
    /// <summary>The code-mode execution that made this call, if any.</summary>
    public string? ExecutionId { get; set; }
    /// <summary>The portal replica that wrote the row (replicas on PostgreSQL); null on a single portal's store.</summary>
    public string? Replica { get; set; }
    public string PrevHash { get; set; } = "";
    public string Hash { get; set; } = "";
    /// <summary>How Hash was made: "hmac-sha256" (keyed), or null for unkeyed SHA-256 rows written before the key.</summary>
    public string? HashKind { get; set; }
}
