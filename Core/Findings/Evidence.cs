namespace ShadowMcp.Core.Findings;

/// <summary>One rule's contribution to a finding: which rule, what it saw, how often, and one example.</summary>
public sealed class Evidence
{
    public required string Rule { get; init; }
    public string Title { get; init; } = "";
    /// <summary>Sigma-style level: informational, low, medium, high, critical.</summary>
    public string Level { get; init; } = "medium";
    /// <summary>What the rule recorded, e.g. "method=initialize protocolVersion=2025-06-18 client=claude-code".</summary>
    public required string Detail { get; init; }
    public double Weight { get; init; }
    /// <summary>How much the rule says on its own: context, weak, strong or decisive (Classifier/README.md).</summary>
    public string Strength { get; init; } = "";
    public int Count { get; set; } = 1;
    public DateTime FirstSeen { get; set; }
    public DateTime LastSeen { get; set; }
    /// <summary>A short text form of the first observation that fired the rule.</summary>
    public string? Example { get; init; }
}
