namespace ShadowMcp.Reports.Model;

/// <summary>
/// The numbers at the top. A null count means its data source is not configured (portal, enforcer), which the
/// writers print as "n/a" with the reason, never as zero.
/// </summary>
public sealed record Headline
{
    public int NewShadowServers { get; init; }
    public int StillActiveShadowServers { get; init; }
    public int GoneShadowServers { get; init; }
    public int SuspectedEndpoints { get; init; }
    public int SanctionedEndpointsSeen { get; init; }
    public long ShadowFlows { get; init; }
    public int? Blocked { get; init; }
    public long? SanctionedPortalCalls { get; init; }
    /// <summary>Clients that used a shadow server in the previous 8 weeks and, this period, only sanctioned endpoints.</summary>
    public int Conversions { get; init; }
    /// <summary>Shadow-server requests the enforcer redirected to the portal, which told them where to go; null without a portal.</summary>
    public long? RedirectedToPortal { get; init; }
}
