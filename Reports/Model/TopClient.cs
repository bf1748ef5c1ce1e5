namespace ShadowMcp.Reports.Model;

/// <summary>A client that talked to shadow servers in the period, and which.</summary>
public sealed record TopClient(string Address, string? Name, int ShadowServers, IReadOnlyList<string> Endpoints);
