namespace ShadowMcp.Portal.Config;

public sealed class AuthSettings
{
    public JwtSettings? Jwt { get; set; }
}
