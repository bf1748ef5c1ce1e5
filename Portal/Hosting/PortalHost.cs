using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Telemetry;

namespace ShadowMcp.Portal.Hosting;

/// <summary>The standalone portal host used by `shadowmcp portal`. Binds to loopback unless told otherwise.</summary>
public static class PortalHost
{
    public const string DefaultUrl = "http://127.0.0.1:8765";

    /// <param name="time">The clock for deadlines, expiry and summaries; the system clock unless a test brings a fake.</param>
    public static WebApplication Build(PortalConfig config, string dbPath, IReadOnlyList<string>? urls = null,
        LogLevel minimumLog = LogLevel.Information, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(minimumLog);
        // A start-up failure (a taken port) reaches the operator as one line from the command; the host's own
        // "Hosting failed to start" would repeat it with a stack trace. A crashing service still logs (Critical).
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.WebHost.UseUrls([.. urls is { Count: > 0 } ? urls : [DefaultUrl]]);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = config.Portal.MaxRequestBytes);
        if (time is not null) builder.Services.AddSingleton(time);
        builder.Services.AddShadowMcpPortal(config, dbPath);
        builder.Services.AddShadowMcpTelemetry("shadowmcp-portal", [PortalMetrics.MeterName], [PortalTracing.SourceName]);
        var app = builder.Build();
        app.MapShadowMcpPortal();
        // Off loopback, the same protection as /mcp: a valid portal API token or JWT (README "Metrics").
        app.MapShadowMcpMetrics(ctx => ctx.User.Identity?.IsAuthenticated == true);
        return app;
    }
}
