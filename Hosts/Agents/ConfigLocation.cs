namespace ShadowMcp.Hosts.Agents;

/// <summary>
/// One documented place an agent keeps MCP servers. <see cref="RelativePath"/> uses '/' and is joined to the base
/// directory; a last segment "*.yaml" means every such file in that directory. <see cref="Source"/> is the vendor
/// page that documents the path; <see cref="Note"/> says where the documentation is unclear. When the agent lets an
/// environment variable move its folder (<see cref="MovedBy"/>, e.g. CODEX_HOME), <see cref="MovedPath"/> is the
/// file's path inside that folder.
/// </summary>
public sealed record ConfigLocation(
    string Agent, string Scope, PathBase Base, string RelativePath, ConfigFormat Format, ConfigShape Shape, string Source,
    string? Note = null)
{
    public string? MovedBy { get; init; }
    public string? MovedPath { get; init; }
}
