using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Auth;
using ShadowMcp.Portal.CodeMode;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Gateway;
using ShadowMcp.Portal.Pinning;
using ShadowMcp.Portal.Policy;
using ShadowMcp.Portal.Relay;
using ShadowMcp.Portal.Store;
using ShadowMcp.Portal.Telemetry;
using ShadowMcp.Portal.Upstreams;

namespace ShadowMcp.Portal.Hosting;

// Logging is deprecated from 2026-07-28 (SEP-2577), but 2025-11-25 clients set levels and servers log today;
// the portal relays it for them.
#pragma warning disable MCP9005

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
        services.AddSingleton(sp => AuditKeys.LoadOrCreate(config.Portal.Audit, sp.GetRequiredService<PortalStore>().KeyDirectory));
        services.AddSingleton(sp => new AuditLog(sp.GetRequiredService<PortalStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<AuditKeys>().HmacKey, ReplicaId(config, sp.GetRequiredService<PortalStore>()),
            config.Portal.Audit.QueueLimit, new AuditQueueWaits(
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<AuditLog>(), sp.GetRequiredService<TimeProvider>(),
                (waited, abandoned) => sp.GetRequiredService<PortalMetrics>().AuditQueueWait(waited, abandoned)),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<AuditLog>()));
        services.AddSingleton<CheckpointWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckpointWriter>());
        services.AddSingleton<UnauthenticatedTally>();
        services.AddSingleton<PolicyEngine>();
        services.AddSingleton<UpstreamRegistry>();
        services.AddSingleton<PortalGateway>();
        services.AddSingleton<Pipeline.CallAdmission>();
        services.AddSingleton<Pipeline.CallJournal>();
        services.AddMetrics();
        services.AddSingleton(sp => new PortalMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            () => sp.GetRequiredService<UpstreamRegistry>().Status().Select(s => (s.Id, s.Healthy)),
            () => sp.GetRequiredService<AuditLog>().Queued,
            () => sp.GetRequiredService<CallerSessions>().Count));
        services.AddSingleton<SessionHub>();
        services.AddSingleton(sp => new CallerSessions(config.Portal.MaxSessions, config.Portal.MaxSessionsPerUser,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SessionCloser>();
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
                    Tools = new ToolsCapability { ListChanged = true },
                    Prompts = new PromptsCapability { ListChanged = true },
                    Resources = new ResourcesCapability { ListChanged = true, Subscribe = false },
                    Completions = new CompletionsCapability(),
                    Logging = new LoggingCapability(),
                };
            })
            .WithHttpTransport(o =>
            {
                o.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
                o.ConfigureSessionOptions = CodeModeHandlers.ConfigureSession;
#pragma warning disable MCP9006 // the stateful-session cap is obsolete with 2026-07-28, still in force for initialize clients
                // Above the portal's own limits (maxSessions counts busy sessions too), so the SDK's cap, which closes
                // whoever's session was idle longest, never decides; the margin covers sessions still closing.
                o.MaxIdleSessionCount = 2 * config.Portal.MaxSessions;
#pragma warning restore MCP9006
                // The SDK's hook for a session's lifetime (experimental in 2.4): private upstream sessions close with it.
#pragma warning disable MCPEXP002
                o.RunSessionHandler = (http, server, ct) => http.RequestServices.GetRequiredService<SessionHub>().RunSessionAsync(http, server,
                    string.Equals(http.Request.Query["codemode"], CodeModeTools.QueryValue, StringComparison.Ordinal), ct);
#pragma warning restore MCPEXP002
            })
            .WithListToolsHandler(PortalMcpHandlers.ListTools)
            .WithCallToolHandler(PortalMcpHandlers.CallTool)
            .WithListPromptsHandler(PortalMcpHandlers.ListPrompts)
            .WithGetPromptHandler(PortalMcpHandlers.GetPrompt)
            .WithListResourcesHandler(PortalMcpHandlers.ListResources)
            .WithReadResourceHandler(PortalMcpHandlers.ReadResource)
            .WithListResourceTemplatesHandler(PortalMcpHandlers.ListResourceTemplates)
            .WithSetLoggingLevelHandler(PortalMcpHandlers.SetLoggingLevel)
            .WithCompleteHandler(PortalMcpHandlers.Complete);
        return services;
    }

    /// <summary>Replicas on a shared store name themselves in audit rows; a single portal's SQLite store needs no name.</summary>
    internal static string? ReplicaId(PortalConfig config, PortalStore store) =>
        config.Portal.ReplicaId is { Length: > 0 } id ? id : store.IsPostgres ? Environment.MachineName : null;
}
