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

    /// <summary>
    /// How to split a group claim that is one string (e.g. " " for a space-separated list). Null (the default):
    /// a string claim is one group. An array claim is always taken element by element and never split.
    /// </summary>
    public string? GroupClaimSeparator { get; set; }

    /// <summary>Accepted JWT "typ" header values (case-insensitive; "application/" prefix allowed). RFC 9068 access
    /// tokens are "at+jwt"; many issuers still use "JWT". A token without typ, or an ID token, is refused.</summary>
    public List<string> TokenTypes { get; set; } = ["at+jwt", "JWT"];
}
