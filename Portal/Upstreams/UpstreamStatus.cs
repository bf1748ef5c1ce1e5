namespace ShadowMcp.Portal.Upstreams;

/// <summary>Health of one upstream, as shown by /health and portal_list_servers.</summary>
public sealed record UpstreamStatus(
    string Id,
    string Prefix,
    string Transport,
    bool Healthy,
    string? LastError,
    DateTimeOffset? LastRefresh,
    int ToolCount,
    int HiddenTools);
