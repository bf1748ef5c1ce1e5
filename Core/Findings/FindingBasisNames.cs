namespace ShadowMcp.Core.Findings;

/// <summary>The wire names of <see cref="FindingBasis"/> ("content", "shape") and what each tells an analyst.</summary>
public static class FindingBasisNames
{
    /// <summary>Every basis, strongest first.</summary>
    public static IReadOnlyList<FindingBasis> All { get; } = Enum.GetValues<FindingBasis>();

    public static string ToWire(this FindingBasis basis) => basis switch
    {
        FindingBasis.Content => "content",
        FindingBasis.Decrypted => "decrypted",
        FindingBasis.Probe => "probe",
        FindingBasis.Host => "host",
        FindingBasis.Name => "name",
        FindingBasis.Shape => "shape",
        _ => "other",
    };

    public static bool TryParse(string? text, out FindingBasis basis)
    {
        var wire = text?.Trim().ToLowerInvariant();
        foreach (var b in All)
        {
            if (b.ToWire() != wire) continue;
            basis = b;
            return true;
        }
        basis = default;
        return false;
    }

    /// <summary>What the basis means, one sentence for a legend.</summary>
    public static string Meaning(this FindingBasis basis) => basis switch
    {
        FindingBasis.Content => "MCP messages (JSON-RPC, MCP headers, SSE events) were read in plaintext traffic.",
        FindingBasis.Decrypted => "MCP messages were read in TLS traffic decrypted with a key log.",
        FindingBasis.Probe => "The endpoint answered ShadowMcp's own MCP probe.",
        FindingBasis.Host => "A host inventory declared or ran the server (agent config, process, credential).",
        FindingBasis.Name => "Only a name (DNS, TLS SNI, HTTP Host) on the known-host list or matching an MCP pattern.",
        FindingBasis.Shape => "Only the encrypted flows' sizes and timing, scored by the shape model.",
        _ => "Evidence from a rule this version does not place, or no evidence: read the evidence.",
    };

    /// <summary>How sure the basis lets an analyst be, one phrase for a legend.</summary>
    public static string Sureness(this FindingBasis basis) => basis switch
    {
        FindingBasis.Content or FindingBasis.Decrypted or FindingBasis.Probe => "sure: MCP was seen",
        FindingBasis.Host => "sure that it is configured or running; not that it was used",
        FindingBasis.Name => "likely: the name says MCP, the traffic was not read",
        FindingBasis.Shape => "a lead: confirm before acting",
        _ => "unknown: judge from the evidence",
    };
}
