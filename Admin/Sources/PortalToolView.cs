namespace ShadowMcp.Admin.Sources;

/// <summary>A tool the portal exposes (or hides) from one upstream server.</summary>
public sealed record PortalToolView(string Server, string Name, string? Description, bool Exposed);
