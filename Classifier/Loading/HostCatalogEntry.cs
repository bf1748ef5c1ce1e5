namespace ShadowMcp.Classifier.Loading;

/// <summary>
/// One known remote-MCP host (or, in the not-MCP list, a name that only looks like one). <see cref="Path"/> is
/// set when the host also serves non-MCP APIs and MCP lives under that path. <see cref="CommunityListed"/> is true
/// for an entry marked <c>source_kind: community-list</c>: its source is a community list, not the vendor's page.
/// </summary>
public sealed record HostCatalogEntry(string Host, string? Path, string Vendor, string Source, DateOnly Checked, string? Reason)
{
    public bool CommunityListed { get; init; }
}
