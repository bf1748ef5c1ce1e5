using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ShadowMcp.Admin.Auth.Oidc;

/// <summary>
/// The OIDC handler's sign-in scheme: the admin session. It reads who a request is (session cookie or bearer token)
/// for hosts that use ASP.NET Core authentication, and refuses to sign in or out itself: the OIDC events sign people
/// in only after role mapping, and logout is the admin UI's POST. Being a second scheme, it also keeps ASP.NET Core
/// from making the OIDC scheme the default (whose sign-in scheme would then be itself).
/// </summary>
internal sealed class AdminSessionScheme(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AdminAuthentication sessions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder), IAuthenticationSignInHandler
{
    public const string Name = "ShadowMcpAdminSession";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (sessions.Principal(Context) is not { } who) return Task.FromResult(AuthenticateResult.NoResult());
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, who.Name), new Claim(ClaimTypes.Role, who.Role.ToString().ToLowerInvariant())], Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Name)));
    }

    public Task SignInAsync(ClaimsPrincipal user, AuthenticationProperties? properties) =>
        throw new InvalidOperationException("Admin sessions start only through the admin login and OIDC events.");

    public Task SignOutAsync(AuthenticationProperties? properties) =>
        throw new InvalidOperationException("Admin sessions end only through the admin UI's logout.");
}
