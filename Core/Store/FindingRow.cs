namespace ShadowMcp.Core.Store;

/// <summary>
/// A finding as stored: one row per endpoint, the aggregate of every file's contribution
/// (<see cref="FindingSourceRow"/>). Set-valued fields are JSON arrays.
/// </summary>
public sealed class FindingRow
{
    public long Id { get; set; }
    public required string EndpointKey { get; set; }
    public string? Address { get; set; }
    public int? Port { get; set; }
    public string? Host { get; set; }
    public string? Path { get; set; }
    public string Transport { get; set; } = "";
    public string Verdict { get; set; } = "";
    public string? VerdictReason { get; set; }
    public double Confidence { get; set; }
    public string? ServerName { get; set; }
    public string? ServerVersion { get; set; }
    public int Flows { get; set; }
    public DateTime FirstSeen { get; set; }
    public DateTime LastSeen { get; set; }
    public string HostsJson { get; set; } = "[]";
    /// <summary>Names that only resolved to the address (see <see cref="Findings.Finding.AddressNames"/>).</summary>
    public string AddressNamesJson { get; set; } = "[]";
    public string ProtocolVersionsJson { get; set; } = "[]";
    public string ClientsJson { get; set; } = "[]";
    public string ClientAppsJson { get; set; } = "[]";
    public string ToolsJson { get; set; } = "[]";
    public DateTime UpdatedAt { get; set; }
    public List<EvidenceRow> Evidence { get; set; } = [];
    public List<FindingSourceRow> Sources { get; set; } = [];
}
