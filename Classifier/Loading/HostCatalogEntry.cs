namespace ShadowMcp.Classifier.Loading;

/// <summary>
/// One known remote-MCP host (or, in the not-MCP list, a name that only looks like one). <see cref="Path"/> is
/// set when the host also serves non-MCP APIs and MCP lives under that path.
/// </summary>
public sealed record HostCatalogEntry(string Host, string? Path, string Vendor, string Source, DateOnly Checked, string? Reason);
