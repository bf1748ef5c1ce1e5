using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShadowMcp.Admin.Pages;

namespace ShadowMcp.Admin.Auth.Oidc;

/// <summary>
/// The two OIDC routes: <c>{prefix}/login/oidc</c> sends the browser to the provider, and the redirect path takes
/// its answer. The answer is handed to the handler here, so the host needs no UseAuthentication (when it has it, the
/// middleware gets there first and does the same).
/// </summary>
internal static class OidcEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, RouteGroupBuilder group, string prefix)
    {
        var oidc = endpoints.ServiceProvider.GetRequiredService<IOptions<AdminOptions>>().Value.Oidc;
        endpoints.ServiceProvider.GetRequiredService<AdminMount>().Prefix = prefix;
        group.MapGet("/login/oidc", ctx => oidc.Enabled ? ChallengeAsync(ctx, prefix) : NotFoundAsync(ctx, prefix));
        if (!oidc.Enabled) return;
        if (endpoints.ServiceProvider.GetService<OidcEvents>() is null)
            throw new InvalidOperationException(
                "Admin:Oidc:ClientId was set after AddShadowMcpAdmin read the configuration: set Admin:Oidc in the configuration it is given.");
        if (!oidc.RedirectPath.StartsWith(prefix + "/", StringComparison.Ordinal))
            throw new InvalidOperationException(
                $"Admin:Oidc:RedirectPath '{oidc.RedirectPath}' must lie under the admin prefix '{prefix}/' (the session cookie's path).");
        endpoints.MapGet(oidc.RedirectPath, CallbackAsync);
    }

    private static Task ChallengeAsync(HttpContext ctx, string prefix)
    {
        var returnUrl = LoginPage.SafeReturnUrl(ctx.Request.Query["returnUrl"].ToString(), prefix);
        var properties = new AuthenticationProperties { RedirectUri = returnUrl };
        properties.Items[OidcScheme.ReturnUrlItem] = returnUrl;
        return ctx.ChallengeAsync(OidcScheme.Name, properties);
    }

    private static async Task CallbackAsync(HttpContext ctx)
    {
        var handlers = ctx.RequestServices.GetRequiredService<IAuthenticationHandlerProvider>();
        if (await handlers.GetHandlerAsync(ctx, OidcScheme.Name).ConfigureAwait(false) is IAuthenticationRequestHandler handler
            && await handler.HandleRequestAsync().ConfigureAwait(false))
            return;
        ctx.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    private static Task NotFoundAsync(HttpContext ctx, string prefix) =>
        ErrorPages.NotFound(new PageContext(ctx, prefix), "Single sign-on is not configured.").ExecuteAsync(ctx);
}
