using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ShadowMcp.Admin.Auth.Oidc;

internal static class OidcServiceCollectionExtensions
{
    /// <summary>
    /// The OpenID Connect scheme and its sign-in scheme, registered only when the configuration sets
    /// Admin:Oidc:ClientId: an unconfigured OIDC handler would fail every request once a host's UseAuthentication
    /// asks it whether a request is its callback. No default scheme is set, and two schemes keep ASP.NET Core from
    /// picking one, so the host's own authentication is left alone.
    /// </summary>
    public static IServiceCollection AddAdminOidc(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<AdminMount>();
        if (string.IsNullOrWhiteSpace(configuration[$"{AdminOptions.Section}:Oidc:{nameof(AdminOidcOptions.ClientId)}"])) return services;
        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, AdminSessionScheme>(AdminSessionScheme.Name, _ => { })
            .AddOpenIdConnect(OidcScheme.Name, _ => { });
        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, ConfigureAdminOidc>();
        services.AddSingleton<OidcEvents>();
        services.AddSingleton(sp => new OidcRoleMapper(sp.GetRequiredService<IOptions<AdminOptions>>().Value));
        return services;
    }
}
