namespace ShadowMcp.Core.Findings;

/// <summary>
/// One MCP endpoint and everything the evidence says about it, aggregated over flows and files.
/// </summary>
public sealed class Finding
{
    public required Endpoint Endpoint { get; init; }
    /// <summary>
    /// Names its MCP flows used: HTTP Host or :authority, TLS SNI, and DNS answers tied to those flows (same client,
    /// shortly before). These are the names the Enforcer may block. A sanctioned name the flows only claimed (Host or
    /// SNI with no DNS answer tying it to the address) is left out and named in <see cref="VerdictReason"/> instead.
    /// </summary>
    public SortedSet<string> Hosts { get; } = new(StringComparer.Ordinal);
    /// <summary>
    /// Other names that merely resolved to the endpoint's address (a shared server or front end): shown as
    /// context, never blocked by default.
    /// </summary>
    public SortedSet<string> AddressNames { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Sanctioned names the flows sent (Host, SNI) that no DNS answer seen put anywhere, which held the finding at
    /// suspected (it may be the sanctioned server seen without its lookup). Carried to the centre, which re-judges a
    /// remote sensor's findings and must hold them too rather than raise them to shadow and block the sanctioned path.
    /// </summary>
    public SortedSet<string> ClaimedNames { get; } = new(StringComparer.Ordinal);
    /// <summary>One of <see cref="Transports"/>.</summary>
    public string Transport { get; set; } = Transports.Http;
    public SortedSet<string> ProtocolVersions { get; } = new(StringComparer.Ordinal);
    public ServerInfo? Server { get; set; }
    public Verdict Verdict { get; set; } = Verdict.Suspected;
    /// <summary>0..1, from the combined evidence weights.</summary>
    public double Confidence { get; set; }
    public SortedSet<string> Clients { get; } = new(StringComparer.Ordinal);
    /// <summary>Client names from clientInfo (e.g. "claude-code 2.1").</summary>
    public SortedSet<string> ClientApps { get; } = new(StringComparer.Ordinal);
    public SortedSet<string> Tools { get; } = new(StringComparer.Ordinal);
    /// <summary>Distinct flows that carried evidence.</summary>
    public int Flows { get; set; }
    public DateTime FirstSeen { get; set; }
    public DateTime LastSeen { get; set; }
    public List<Evidence> Evidence { get; } = [];
    /// <summary>Why the verdict is what it is, e.g. "matches sanctioned upstream 'github'".</summary>
    public string? VerdictReason { get; set; }
}
