namespace ShadowMcp.Reports.Model;

/// <summary>One shadow server active in the period.</summary>
public sealed record ShadowServer
{
    public required string Endpoint { get; init; }
    public string? Address { get; init; }
    public int? Port { get; init; }
    public string? Path { get; init; }
    public required IReadOnlyList<string> Hosts { get; init; }
    /// <summary>Names that only resolved to the address (shared servers); never blocked by default.</summary>
    public IReadOnlyList<string> AddressNames { get; init; } = [];
    public required string Transport { get; init; }
    public required IReadOnlyList<string> ProtocolVersions { get; init; }
    public string? ServerName { get; init; }
    public string? ServerVersion { get; init; }
    /// <summary>"new" (first seen in this period) or "active" (seen before too).</summary>
    public required string Status { get; init; }
    public double Confidence { get; init; }
    public DateTime FirstSeen { get; init; }
    public DateTime LastSeen { get; init; }
    public long FlowsInPeriod { get; init; }
    public required IReadOnlyList<ClientEntry> Clients { get; init; }
    public required IReadOnlyList<string> ClientApps { get; init; }
    public required IReadOnlyList<string> Tools { get; init; }
    public required IReadOnlyList<EvidenceEntry> Evidence { get; init; }
    /// <summary>The primary (strongest) basis in its wire form ("content", "shape"): how sure to be (BasisLegendEntry).</summary>
    public string Basis { get; init; } = "other";
    /// <summary>Every basis, strongest first.</summary>
    public IReadOnlyList<string> Bases { get; init; } = ["other"];
    /// <summary>Null when no enforcement state source is configured.</summary>
    public string? Enforcement { get; init; }
    /// <summary>Plaintext credentials on hosts that use this server (Reports/Risk/HostSecretLinks), as evidence lines.</summary>
    public IReadOnlyList<string> HostSecrets { get; init; } = [];
    /// <summary>How much this server matters, with the factors that say why (Reports/Risk).</summary>
    public Risk.RiskAssessment? Risk { get; init; }
    /// <summary>The triage status in its wire form ("new" when nobody triaged it).</summary>
    public string Triage { get; init; } = "new";
}
