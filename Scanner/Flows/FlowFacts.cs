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

    /// <summary>How many names one flow keeps: a keep-alive connection sending a new Host header per request (or one
    /// UDP flow asking endless DNS names) must not grow the flow log's memory with every request.</summary>
    public const int MaxNames = 64;

    /// <summary>Host names the flow asked about (DNS) or addressed (HTTP Host), the first <see cref="MaxNames"/>.</summary>
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    /// <summary>Distinct names seen after <see cref="Names"/> was full (not kept).</summary>
    public int NamesDropped { get; private set; }

    public void AddName(string name)
    {
        if (Names.Count < MaxNames) Names.Add(name);
        else if (!Names.Contains(name)) NamesDropped++;
    }
}
