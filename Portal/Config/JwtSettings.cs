namespace ShadowMcp.Portal.Config;

/// <summary>OAuth 2.1 bearer JWT validation: issuer, audience, JWKS location and the claims that name user and groups.</summary>
public sealed class JwtSettings
{
    public string Issuer { get; set; } = "";
    public string Audience { get; set; } = "";
    public string JwksUrl { get; set; } = "";
    public string GroupClaim { get; set; } = "groups";
    public string UserClaim { get; set; } = "sub";
    public int ClockSkewSeconds { get; set; } = 30;
}
