using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Auth;
using ShadowMcp.Portal.CodeMode;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Gateway;
using ShadowMcp.Portal.Pinning;
using ShadowMcp.Portal.Policy;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Upstreams;

namespace ShadowMcp.Portal.Hosting;

/// <summary>Registers the portal in any ASP.NET Core host (standalone or the all-in-one host).</summary>
public static class PortalServiceCollectionExtensions
{
    public const string AuthorizationPolicy = "shadowmcp-portal";

    public static IServiceCollection AddShadowMcpPortal(this IServiceCollection services, PortalConfig config, string dbPath)
    {
        if (services.Any(d => d.ServiceType == typeof(PortalGateway))) return services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(config);
        services.AddSingleton(_ => new PortalStore(dbPath));
        services.AddSingleton(sp => new PortalRuntime(config, sp.GetRequiredService<PortalStore>(), sp.GetRequiredService<TimeProvider>(),
            new HttpClient { Timeout = TimeSpan.FromSeconds(10) }));
        services.AddSingleton<PinKeeper>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<PolicyEngine>();
        services.AddSingleton<UpstreamRegistry>();
        services.AddSingleton<PortalGateway>();
        services.AddSingleton<CodeModeRunner>();
        services.AddHostedService<UpstreamRefresher>();

        services.AddAuthentication(PortalAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, PortalAuthenticationHandler>(PortalAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(AuthorizationPolicy, p => p
            .AddAuthenticationSchemes(PortalAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());

        services.AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation { Name = "shadowmcp-portal", Version = PortalVersion.Value };
                o.Capabilities = new ServerCapabilities
                {
                    Tools = new ToolsCapability { ListChanged = false },
                    Prompts = new PromptsCapability { ListChanged = false },
                    Resources = new ResourcesCapability { ListChanged = false, Subscribe = false },
                    Completions = new CompletionsCapability(),
                };
            })
            .WithHttpTransport(o =>
            {
                o.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
                o.ConfigureSessionOptions = CodeModeHandlers.ConfigureSession;
            })
            .WithListToolsHandler(PortalMcpHandlers.ListTools)
            .WithCallToolHandler(PortalMcpHandlers.CallTool)
            .WithListPromptsHandler(PortalMcpHandlers.ListPrompts)
            .WithGetPromptHandler(PortalMcpHandlers.GetPrompt)
            .WithListResourcesHandler(PortalMcpHandlers.ListResources)
            .WithReadResourceHandler(PortalMcpHandlers.ReadResource)
            .WithCompleteHandler(PortalMcpHandlers.Complete);
        return services;
    }
}
