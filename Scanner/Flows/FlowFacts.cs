namespace ShadowMcp.Scanner.Flows;

/// <summary>What the observations of one flow said about it: TLS handshake fields, HTTP version, names, MCP content.</summary>
public sealed class FlowFacts
{
    public string? Sni { get; set; }
    public List<string> AlpnOffered { get; } = [];
    public string? AlpnChosen { get; set; }
    public string? TlsVersion { get; set; }
    public string? Ja4 { get; set; }
    public string? Ja4s { get; set; }

    /// <summary>"http/1.1", "h2" or null.</summary>
    public string? Http { get; set; }

    /// <summary>Some application content was read as plaintext or decrypted (HTTP, DNS).</summary>
    public bool ContentSeen { get; set; }

    /// <summary>Some of that content came from TLS decrypted with a key log.</summary>
    public bool Decrypted { get; set; }

    /// <summary>Host names the flow asked about (DNS) or addressed (HTTP Host); lower case.</summary>
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
}
