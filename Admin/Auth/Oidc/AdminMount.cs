namespace ShadowMcp.Admin.Auth.Oidc;

/// <summary>Where MapShadowMcpAdmin mounted the UI, for the OIDC events that run outside its route group.</summary>
internal sealed class AdminMount
{
    public string Prefix { get; set; } = "/admin";
}
