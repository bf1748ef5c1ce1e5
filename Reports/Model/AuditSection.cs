using ShadowMcp.Reports.Sources;

namespace ShadowMcp.Reports.Model;

public sealed record AuditSection(SectionStatus Status, AuditChainStatus? Chain);
