namespace ShadowMcp.Admin.Sources;

public sealed record PortalOverview(
    IReadOnlyList<PortalServerView> Servers,
    IReadOnlyList<PortalToolView> Tools,
    IReadOnlyList<PortalPolicyView> Policies);
