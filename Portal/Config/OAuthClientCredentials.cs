namespace ShadowMcp.Portal.Config;

/// <summary>OAuth client-credentials grant the portal uses to reach an upstream.</summary>
public sealed class OAuthClientCredentials
{
    public string TokenUrl { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public string? Scope { get; set; }
}
