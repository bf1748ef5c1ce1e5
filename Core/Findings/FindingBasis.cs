namespace ShadowMcp.Core.Findings;

/// <summary>
/// On what a finding was made, derived from its stored evidence (<see cref="BasisRules"/>). Declared strongest first:
/// the order is how sure the basis lets an analyst be that the endpoint speaks MCP, and the first a finding has is
/// its primary basis.
/// </summary>
public enum FindingBasis
{
    /// <summary>MCP itself (JSON-RPC messages, MCP headers, SSE events) read in plaintext traffic.</summary>
    Content,
    /// <summary>MCP itself read in TLS traffic decrypted with a key log.</summary>
    Decrypted,
    /// <summary>The endpoint answered ShadowMcp's own MCP probe (<c>shadowmcp probe</c>).</summary>
    Probe,
    /// <summary>A host's own inventory: an agent's config, a running server process, a credential in a config.</summary>
    Host,
    /// <summary>A name only (DNS, TLS SNI or HTTP Host) on the known-host list or matching an MCP-like pattern.</summary>
    Name,
    /// <summary>Only the encrypted flows' shape (sizes and timing) scored by the shape model: a lead.</summary>
    Shape,
    /// <summary>Evidence from a rule this version does not place (a local rule, a newer writer), or no evidence at all.</summary>
    Other,
}
