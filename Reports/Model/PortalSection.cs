using ShadowMcp.Reports.Sources;

namespace ShadowMcp.Reports.Model;

public sealed record PortalSection(SectionStatus Status, PortalActivity? Activity);
