namespace ShadowMcp.Portal.Auth;

/// <summary>Claim types the portal's authentication handler issues.</summary>
internal static class PortalClaims
{
    public const string User = "shadowmcp/user";
    public const string Group = "shadowmcp/group";
    public const string Method = "shadowmcp/auth";
}
