namespace ShadowMcp.Admin;

/// <summary>
/// Section "Admin:Oidc": sign-in through an OpenID Connect provider (authorization code flow with PKCE). Off while
/// <see cref="ClientId"/> is unset. People get a role only through <see cref="RoleMappings"/>: a signed-in person
/// none of whose groups is mapped is refused.
/// </summary>
public sealed class AdminOidcOptions
{
    /// <summary>Where the provider's discovery document lives; `serve` fills in the portal's JWT issuer when unset.</summary>
    public string? Authority { get; set; }
    /// <summary>The "iss" the ID tokens must carry; defaults to <see cref="Authority"/>.</summary>
    public string? Issuer { get; set; }
    public string? ClientId { get; set; }
    /// <summary>The client secret in clear: set it from the environment (Admin__Oidc__ClientSecret), never in a file.</summary>
    public string? ClientSecret { get; set; }
    /// <summary>A file holding the client secret (surrounding whitespace ignored), e.g. a systemd credential.</summary>
    public string? ClientSecretFile { get; set; }
    /// <summary>The path the provider redirects back to; must lie under the admin prefix.</summary>
    public string RedirectPath { get; set; } = "/admin/signin-oidc";
    /// <summary>Scopes to ask for; empty means openid, profile and email (a bound list would add to a default, not replace it).</summary>
    public List<string> Scopes { get; set; } = [];
    /// <summary>The claim holding the person's groups (or roles): an array, or one value.</summary>
    public string RoleClaim { get; set; } = "groups";
    /// <summary>The claim naming the person in every action they take: preferred_username, email, sub, ...</summary>
    public string NameClaim { get; set; } = "preferred_username";
    /// <summary>Which claim value gives which role; a person in several mapped groups gets the highest.</summary>
    public List<AdminOidcRoleMapping> RoleMappings { get; set; } = [];
    /// <summary>Also read claims from the userinfo endpoint (many providers keep groups out of the ID token).</summary>
    public bool UseUserInfo { get; set; } = true;
    /// <summary>
    /// Pushed authorization requests (RFC 9126): "UseIfAvailable" (default: when the provider offers them, the
    /// browser carries only a reference, so it cannot alter the request), "Require" or "Disable".
    /// </summary>
    public string PushedAuthorization { get; set; } = "UseIfAvailable";
    /// <summary>The button text on the login page.</summary>
    public string DisplayName { get; set; } = "single sign-on";

    public bool Enabled => !string.IsNullOrWhiteSpace(ClientId);

    public IReadOnlyList<string> EffectiveScopes => Scopes.Count > 0 ? Scopes : ["openid", "profile", "email"];
}

/// <summary>One entry of Admin:Oidc:RoleMappings: people whose role claim holds <see cref="Value"/> get <see cref="Role"/>.</summary>
public sealed class AdminOidcRoleMapping
{
    public string Value { get; set; } = "";
    public string Role { get; set; } = "viewer";
}
