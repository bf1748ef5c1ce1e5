using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Auth;

/// <summary>
/// Validates OAuth 2.1 bearer JWTs against the configured issuer, audience, JWKS and token types. ID tokens are
/// refused even when their "typ" is the generic "JWT": they carry claims an access token does not.
/// </summary>
internal sealed class JwtValidator(JwtSettings settings, JwksCache keys, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public async Task<JwtCheck> ValidateAsync(string token, CancellationToken ct)
    {
        string? kid;
        try { kid = new JsonWebToken(token).Kid; }
        catch (ArgumentException) { return new(null, [], "malformed JWT"); }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            IssuerSigningKeys = await keys.GetKeysAsync(kid, ct),
            ValidateIssuerSigningKey = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            // An ID token minted for the same audience must not pass as an access token (RFC 9068 section 4).
            ValidTypes = settings.TokenTypes.SelectMany(t => new[] { t, "application/" + t }).ToList(),
            ClockSkew = TimeSpan.FromSeconds(settings.ClockSkewSeconds),
            LifetimeValidator = (notBefore, expires, _, p) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } e && e + p.ClockSkew > now && (notBefore is not { } nb || nb - p.ClockSkew <= now);
            },
        };
        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid) return new(null, [], result.Exception?.GetType().Name ?? "invalid JWT");
        var claims = result.ClaimsIdentity.Claims.ToList();
        var user = claims.FirstOrDefault(c => c.Type == settings.UserClaim)?.Value;
        if (string.IsNullOrEmpty(user)) return new(null, [], $"JWT has no '{settings.UserClaim}' claim");
        if (IdTokenSign(result.Claims) is { } sign) return new(null, [], $"an ID token ({sign}), not an access token");
        if (result.SecurityToken is not JsonWebToken validated) return new(null, [], "not a JWS");
        return new(user, JwtGroups.Read(validated, settings.GroupClaim, settings.GroupClaimSeparator), null);
    }

    private static string? IdTokenSign(IDictionary<string, object> claims)
    {
        foreach (var name in (string[])["nonce", "at_hash", "c_hash"])
            if (claims.ContainsKey(name)) return $"'{name}' claim";
        // Keycloak names the kind in the payload: "ID" for ID tokens, "Bearer" for access tokens.
        return claims.TryGetValue("typ", out var typ) && string.Equals(typ?.ToString(), "ID", StringComparison.OrdinalIgnoreCase)
            ? "typ claim 'ID'"
            : null;
    }
}
