namespace ShadowMcp.Admin.Auth.Oidc;

/// <summary>The authentication scheme name of the admin UI's OpenID Connect handler.</summary>
internal static class OidcScheme
{
    public const string Name = "ShadowMcpAdminOidc";
    /// <summary>The AuthenticationProperties item carrying where to go after sign-in (protected inside "state").</summary>
    public const string ReturnUrlItem = "shadowmcp.returnUrl";
}
