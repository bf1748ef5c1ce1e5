using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using ShadowMcp.Admin.Pages;

namespace ShadowMcp.Admin.Auth.Oidc;

/// <summary>
/// What happens once the handler has checked the provider's answer: a mapped person gets an admin session like a
/// local user's; anyone else gets a 403 page. A failed check (state, nonce, issuer, signature, the provider's own
/// error) gets a 401 page. Every outcome is logged with the person or the reason, never a code or token.
/// </summary>
internal sealed partial class OidcEvents(OidcRoleMapper mapper, AdminAuthentication sessions, AdminMount mount, ILogger<OidcEvents> logger)
    : OpenIdConnectEvents
{
    public override async Task TicketReceived(TicketReceivedContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        var page = new PageContext(http, mount.Prefix);
        var remote = Remote(http);
        var mapping = mapper.Map(context.Principal ?? new System.Security.Claims.ClaimsPrincipal());
        if (mapping.Principal is not { } principal)
        {
            LogRefused(logger, mapping.Name ?? "(no name)", remote, mapping.Refusal ?? "refused");
            await OidcPages.Refused(page, mapping.Name).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }
        context.Properties!.Items.TryGetValue(OidcScheme.ReturnUrlItem, out var asked);
        var returnUrl = LoginPage.SafeReturnUrl(asked, mount.Prefix);
        sessions.SignIn(http, mount.Prefix, principal);
        LogSignedIn(logger, principal.Name, principal.Role, remote);
        await OidcPages.Continue(page, principal, returnUrl).ExecuteAsync(http).ConfigureAwait(false);
    }

    public override async Task RemoteFailure(RemoteFailureContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        var reason = Reason(context.Failure);
        LogFailed(logger, Remote(http), reason);
        // The kinds of exception only: the library's messages can quote what the provider or the browser sent.
        LogFailureKinds(logger, Kinds(context.Failure));
        await OidcPages.Failed(new PageContext(http, mount.Prefix), reason).ExecuteAsync(http).ConfigureAwait(false);
    }

    /// <summary>A fixed description per kind of failure: the library's messages can quote what the provider sent.</summary>
    internal static string Reason(Exception? failure) => failure switch
    {
        OpenIdConnectProtocolInvalidNonceException => "the nonce did not match this browser's sign-in",
        OpenIdConnectProtocolInvalidStateException => "the state was not valid",
        SecurityTokenInvalidIssuerException => "the ID token came from the wrong issuer",
        SecurityTokenInvalidAudienceException => "the ID token was not issued to this client",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the ID token's signature did not verify",
        SecurityTokenExpiredException or SecurityTokenNotYetValidException => "the ID token was outside its lifetime",
        OpenIdConnectProtocolException when failure.Message.Contains("access_denied", StringComparison.Ordinal) => "the provider denied access",
        OpenIdConnectProtocolException => "the provider answered with an error",
        AuthenticationFailureException when failure.Message.StartsWith("Access was denied", StringComparison.Ordinal) => "the provider denied access",
        AuthenticationFailureException when failure.Message.StartsWith("Correlation failed", StringComparison.Ordinal)
            => "the state did not belong to this browser (correlation failed)",
        AuthenticationFailureException when failure.Message.Contains("state", StringComparison.OrdinalIgnoreCase)
            => "the state was missing or did not verify",
        null => "unknown",
        _ => failure.GetType().Name,
    };

    private static string Kinds(Exception? failure)
    {
        var kinds = new List<string>();
        for (var e = failure; e is not null && kinds.Count < 5; e = e.InnerException) kinds.Add(e.GetType().Name);
        return string.Join(" <- ", kinds);
    }

    private static string Remote(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {User} ({Role}) signed in through OIDC from {Remote}")]
    private static partial void LogSignedIn(ILogger logger, string user, AdminRole role, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin OIDC sign-in of {User} from {Remote} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string user, string remote, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Admin OIDC sign-in failure kinds: {Kinds}")]
    private static partial void LogFailureKinds(ILogger logger, string kinds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin OIDC sign-in from {Remote} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string remote, string reason);
}
