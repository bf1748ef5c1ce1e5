namespace ShadowMcp.Hosts.Fleet;

/// <summary>
/// Settings of the host ingest endpoint (section "Hosts" of serve's settings). Its tokens are their own kind:
/// a host-ingest token can post inventories and nothing else, and the admin token cannot post them.
/// </summary>
public sealed class HostIngestOptions
{
    public const string Section = "Hosts";
    public const int MinimumTokenLength = 16;

    /// <summary>Accepted tokens, each as plain text (16+ characters) or as "sha256:&lt;hex&gt;" of the token.</summary>
    public List<string> IngestTokens { get; set; } = [];
    /// <summary>Bigger bodies are refused with 413 before they are parsed.</summary>
    public long MaxBodyBytes { get; set; } = 2L << 20;
    /// <summary>More rows than this in one inventory is not a workstation: refused.</summary>
    public int MaxRows { get; set; } = 5000;
    public string Database { get; set; } = "";
}
