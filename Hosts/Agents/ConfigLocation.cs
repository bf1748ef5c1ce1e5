namespace ShadowMcp.Hosts.Agents;

/// <summary>
/// One documented place an agent keeps MCP servers. <see cref="RelativePath"/> uses '/' and is joined to the base
/// directory; a last segment "*.yaml" means every such file in that directory. <see cref="Source"/> is the vendor
/// page that documents the path; <see cref="Note"/> says where the documentation is unclear.
/// </summary>
public sealed record ConfigLocation(
    string Agent, string Scope, PathBase Base, string RelativePath, ConfigFormat Format, ConfigShape Shape, string Source,
    string? Note = null);
