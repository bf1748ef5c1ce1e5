namespace ShadowMcp.Portal.Config;

/// <summary>The portal's config file (JSON): listener settings, authentication, upstreams and group policy.</summary>
public sealed class PortalConfig
{
    public PortalSettings Portal { get; set; } = new();
    public AuthSettings Auth { get; set; } = new();
    public List<UpstreamConfig> Upstreams { get; set; } = [];
    public Dictionary<string, GroupConfig> Groups { get; set; } = new(StringComparer.Ordinal);
    public CodeModeSettings CodeMode { get; set; } = new();
}
