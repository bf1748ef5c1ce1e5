using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ShadowMcp.Admin.Auth.Oidc;

/// <summary>
/// Sets up ASP.NET Core's OpenID Connect handler from Admin:Oidc: authorization code flow with PKCE, state and nonce
/// checked, the ID token's issuer pinned, no tokens kept. Its two cookies (correlation, nonce) follow the session
/// cookie's rules: HttpOnly, Secure when the request is HTTPS, SameSite=Lax (the provider's redirect back is a
/// cross-site top-level GET, which Lax allows and Strict would not).
/// </summary>
internal sealed class ConfigureAdminOidc(IOptions<AdminOptions> admin, OidcEvents events) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name != OidcScheme.Name) return;
        var o = admin.Value.Oidc;
        if (!o.Enabled || o.Authority is null) return;
        options.SignInScheme = AdminSessionScheme.Name;
        options.Authority = o.Authority;
        options.RequireHttpsMetadata = !OidcOptionsChecks.IsLoopback(new Uri(o.Authority));
        options.ClientId = o.ClientId;
        options.ClientSecret = ReadSecret(o);
        options.CallbackPath = o.RedirectPath;
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.UsePkce = true;
        options.Scope.Clear();
        foreach (var scope in o.EffectiveScopes) options.Scope.Add(scope);
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = o.UseUserInfo;
        options.ClaimActions.MapJsonKey(o.RoleClaim, o.RoleClaim);
        options.ClaimActions.MapUniqueJsonKey(o.NameClaim, o.NameClaim);
        options.SaveTokens = false;
        options.UseTokenLifetime = false;
        options.DisableTelemetry = true;
        // The library's defaults, stated so a later change cannot drop them silently. The handler checks "state"
        // itself (data-protected, and bound to this browser by the correlation cookie), so the protocol validator's
        // own state comparison stays off as in the library's default: the handler never gives it a state to compare.
        options.ProtocolValidator.RequireNonce = true;
        options.ProtocolValidator.RequireState = true;
        options.ProtocolValidator.RequireStateValidation = false;
        options.PushedAuthorizationBehavior = Enum.Parse<PushedAuthorizationBehavior>(o.PushedAuthorization, ignoreCase: true);
        // Pinned: by default the handler also accepts whatever issuer the discovery document names.
        var issuer = o.Issuer ?? o.Authority;
        options.TokenValidationParameters.ValidateIssuer = true;
        options.TokenValidationParameters.ValidIssuer = issuer;
        options.TokenValidationParameters.IssuerValidator = (actual, _, _) => string.Equals(actual, issuer, StringComparison.Ordinal)
            ? actual
            : throw new SecurityTokenInvalidIssuerException("The ID token's issuer is not the configured Admin:Oidc issuer.");
        options.TokenValidationParameters.ValidateAudience = true;
        options.TokenValidationParameters.ValidAudience = o.ClientId;
        options.TokenValidationParameters.NameClaimType = o.NameClaim;
        options.TokenValidationParameters.RoleClaimType = o.RoleClaim;
        foreach (var cookie in new[] { options.CorrelationCookie, options.NonceCookie })
        {
            cookie.HttpOnly = true;
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        }
        options.Events = events;
    }

    private static string? ReadSecret(AdminOidcOptions o) =>
        o.ClientSecretFile is { } file ? File.ReadAllText(file).Trim() : o.ClientSecret?.Trim();
}
