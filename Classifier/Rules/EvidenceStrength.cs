namespace ShadowMcp.Classifier.Rules;

/// <summary>
/// How much one rule's hit says on its own. The verdict combines strengths over distinct rules
/// (see Classifier/README.md); weight only feeds the confidence number.
/// </summary>
public enum EvidenceStrength
{
    /// <summary>Only counts next to other evidence for the same endpoint; never creates a finding by itself.</summary>
    Context,
    /// <summary>A hint (an mcp.* hostname, a lone MCP header): enough for a suspected finding.</summary>
    Weak,
    /// <summary>MCP protocol structure (handshake shape, discover, endpoint event): shadow once corroborated.</summary>
    Strong,
    /// <summary>Unmistakable alone (an SDK's own error text, a curated public MCP host).</summary>
    Decisive,
}
