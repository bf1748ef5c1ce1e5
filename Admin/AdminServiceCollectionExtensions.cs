using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ShadowMcp.Admin.Auth;
using ShadowMcp.Admin.Auth.Oidc;
using ShadowMcp.Admin.Findings;
using ShadowMcp.Admin.Reports;
using ShadowMcp.Admin.Sources;
using ShadowMcp.Admin.Triage;
using ShadowMcp.Reports.Building;

namespace ShadowMcp.Admin;

public static class AdminServiceCollectionExtensions
{
    /// <summary>
    /// Registers the admin UI: options from section "Admin" (checked at start), token check, sessions, anti-forgery and
    /// the page services. Portal and enforcement default to "not configured": register your own
    /// <see cref="IPortalAdminSource"/> / <see cref="IEnforcementAdminSource"/> (before or after this call) to fill those
    /// pages. "Generate now" uses the <see cref="ReportSources"/> registered by AddShadowMcpReports when present.
    /// Safe to call twice.
    /// </summary>
    public static IServiceCollection AddShadowMcpAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(AdminTokenVerifier))) return services;
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AdminTokenVerifier>();
        services.AddSingleton<AdminSessions>();
        services.AddSingleton<AdminAuthentication>();
        services.AddSingleton<LoginThrottle>();
        services.AddAdminOidc(configuration);
        services.AddSingleton<AdminStore>();
        services.AddSingleton<FindingQueries>();
        services.AddSingleton<CaptureSessionQueries>();
        services.AddSingleton<TriageService>();
        services.AddSingleton(sp => new ReportLibrary(
            sp.GetRequiredService<IOptions<AdminOptions>>(), sp.GetRequiredService<AdminStore>(),
            sp.GetService<ReportSources>() ?? ReportSources.NotConfigured(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IPortalAdminSource>(NotConfiguredAdminSources.Instance);
        services.TryAddSingleton<IEnforcementAdminSource>(NotConfiguredAdminSources.Instance);
        services.AddAntiforgery();
        services.AddLogging();
        return services;
    }
}
