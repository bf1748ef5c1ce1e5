namespace ShadowMcp.Core.Findings;

/// <summary>serverInfo from an initialize or server/discover result.</summary>
public sealed record ServerInfo(string Name, string? Version);
