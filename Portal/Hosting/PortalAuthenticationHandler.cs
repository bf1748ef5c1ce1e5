using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ShadowMcp.Portal.Auth;

namespace ShadowMcp.Portal.Hosting;

/// <summary>
/// Bearer authentication for the portal: API tokens ("smcp_…") first, then JWTs when an issuer is configured.
/// The challenge points clients at the RFC 9728 protected-resource metadata document.
/// </summary>
internal sealed class PortalAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    PortalRuntime runtime,
    UnauthenticatedTally unauthenticated)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ShadowMcpPortal";
    internal const string FailureItem = "shadowmcp.auth.failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header[7..].Trim();
        if (token.Length == 0) return Fail("empty bearer token");

        if (token.StartsWith(ApiTokens.Prefix, StringComparison.Ordinal))
        {
            var check = runtime.Tokens.Check(token);
            if (check.Token is not { } row) return Fail(check.Failure!);
            return Success(row.Name is { Length: > 0 } n ? $"token:{row.Id}:{n}" : $"token:{row.Id}", [row.Group], "api-token");
        }
        if (runtime.Jwt is not { } jwt) return Fail("JWTs are not accepted: no issuer configured");
        var result = await jwt.ValidateAsync(token, Context.RequestAborted);
        return result.User is { } user ? Success(user, result.Groups, "jwt") : Fail(result.Failure!);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Items.TryGetValue(FailureItem, out var f) ? f as string : null;
        // Rejected requests are part of "every request through the portal", but counted per source and interval
        // (one audit row each), so a flood costs a bounded amount of disk; over its rate a source gets 429.
        if (unauthenticated.Count(Context.Connection.RemoteIpAddress, failure ?? "no bearer token") is { } wait)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var metadata = PortalUrls.ResourceMetadata(Context, runtime.Config.Portal);
        var error = failure is not null ? ", error=\"invalid_token\"" : "";
        Response.Headers.WWWAuthenticate = $"Bearer resource_metadata=\"{metadata}\"{error}";
        return Task.CompletedTask;
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }

    private AuthenticateResult Success(string user, IReadOnlyList<string> groups, string method)
    {
        var claims = new List<Claim> { new(PortalClaims.User, user), new(ClaimTypes.NameIdentifier, user), new(PortalClaims.Method, method) };
        claims.AddRange(groups.Select(g => new Claim(PortalClaims.Group, g)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, PortalClaims.User, PortalClaims.Group));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
