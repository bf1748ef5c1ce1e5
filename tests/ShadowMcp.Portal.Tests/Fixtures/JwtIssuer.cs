using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ShadowMcp.Portal.Tests.Fixtures;

/// <summary>A test identity provider: its own RSA key, a JWKS served by Kestrel on loopback, and a token minter.</summary>
internal sealed class JwtIssuer : IAsyncDisposable
{
    public const string Issuer = "https://idp.test.invalid";
    public const string Audience = "shadowmcp-portal";
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RSA _otherRsa = RSA.Create(2048);
    private WebApplication? _app;

    public string JwksUrl => _app!.Urls.First() + "/jwks.json";

    public static async Task<JwtIssuer> StartAsync()
    {
        var issuer = new JwtIssuer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var p = issuer._rsa.ExportParameters(false);
        var jwks = new { keys = new[] { new { kty = "RSA", kid = "k1", use = "sig", alg = "RS256", n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) } } };
        app.MapGet("/jwks.json", () => Results.Json(jwks));
        await app.StartAsync();
        issuer._app = app;
        return issuer;
    }

    public string Mint(string sub, string[] groups, string issuer = Issuer, string audience = Audience,
        TimeSpan? expiresIn = null, bool wrongKey = false)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(10));
        var key = new RsaSecurityKey(wrongKey ? _otherRsa : _rsa) { KeyId = "k1" };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expires < now ? expires.AddMinutes(-5) : now,
            NotBefore = expires < now ? expires.AddMinutes(-5) : now,
            Expires = expires,
            Claims = new Dictionary<string, object> { ["sub"] = sub, ["groups"] = groups },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A token with exactly these payload claims (sub and the rest) and this "typ" header.</summary>
    public string MintClaims(Dictionary<string, object> claims, string typ = "JWT")
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            TokenType = typ,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) { await _app.StopAsync(); await _app.DisposeAsync(); }
        _rsa.Dispose();
        _otherRsa.Dispose();
    }
}
