using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Auth;

/// <summary>Validates OAuth 2.1 bearer JWTs against the configured issuer, audience and JWKS.</summary>
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
        return new(user, Groups(claims, result.Claims), null);
    }

    private List<string> Groups(List<Claim> claims, IDictionary<string, object> raw)
    {
        var groups = new List<string>();
        if (raw.TryGetValue(settings.GroupClaim, out var value))
        {
            switch (value)
            {
                case string s: groups.AddRange(s.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)); break;
                case JsonElement { ValueKind: JsonValueKind.Array } a:
                    groups.AddRange(a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)); break;
                case IEnumerable<object> list: groups.AddRange(list.Select(o => o.ToString()!)); break;
            }
        }
        if (groups.Count == 0) groups.AddRange(claims.Where(c => c.Type == settings.GroupClaim).Select(c => c.Value));
        return groups.Distinct(StringComparer.Ordinal).ToList();
    }
}
