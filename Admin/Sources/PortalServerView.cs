namespace ShadowMcp.Admin.Sources;

/// <summary>An upstream MCP server behind the portal. <paramref name="Status"/> is free text such as "healthy" or "unreachable".</summary>
public sealed record PortalServerView(string Name, string Upstream, string Transport, string Status, IReadOnlyList<string> Groups);
