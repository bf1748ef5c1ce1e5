namespace ShadowMcp.Enforcer.Planning;

/// <summary>A desired block entry and the findings (endpoint keys) that call for it.</summary>
public sealed record PlannedEntry(BlockEntry Entry, IReadOnlyList<string> Findings);
