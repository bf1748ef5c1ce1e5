namespace ShadowMcp.Admin.Pages;

/// <summary>The navigation entries; the current one is highlighted.</summary>
internal enum AdminSection
{
    None,
    Findings,
    Reports,
    Portal,
    Audit,
    Enforcement,
    Hosts,
}
