namespace ShadowMcp.Admin.Findings;

/// <summary>How the findings list is shown: one row per endpoint, or rolled up per server name or per client.</summary>
internal enum FindingGrouping
{
    None,
    Server,
    Client,
}
