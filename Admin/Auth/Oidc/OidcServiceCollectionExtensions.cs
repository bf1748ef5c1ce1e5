using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ShadowMcp.Admin.Auth.Oidc;

internal static class OidcServiceCollectionExtensions
{
    /// <summary>
    /// The OpenID Connect scheme, always registered; it is configured (and its routes mapped) only when
    /// Admin:Oidc:ClientId is set. No default scheme is set, so the host's own authentication is left alone.
    /// </summary>
    public static IServiceCollection AddAdminOidc(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, AdminSessionScheme>(AdminSessionScheme.Name, _ => { })
            .AddOpenIdConnect(OidcScheme.Name, _ => { });
        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, ConfigureAdminOidc>();
        services.AddSingleton<AdminMount>();
        services.AddSingleton<OidcEvents>();
        services.AddSingleton(sp => new OidcRoleMapper(sp.GetRequiredService<IOptions<AdminOptions>>().Value));
        return services;
    }
}
