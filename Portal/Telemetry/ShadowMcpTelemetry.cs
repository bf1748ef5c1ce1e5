using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ShadowMcp.Portal.Telemetry;

/// <summary>
/// OpenTelemetry for a long-running ShadowMcp process (the portal host, `serve`): its meters exported to a
/// Prometheus scrape endpoint, spans kept for W3C traceparent propagation, and both sent over OTLP when the
/// standard OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads the other OTEL_* variables itself).
/// </summary>
public static class ShadowMcpTelemetry
{
    public const string MetricsPath = "/metrics";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private static readonly string ProductVersion =
        typeof(ShadowMcpTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    public static IServiceCollection AddShadowMcpTelemetry(this IServiceCollection services, string serviceName,
        IEnumerable<string> meters, IEnumerable<string> activitySources)
    {
        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable));
        services.AddMetrics();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: ProductVersion))
            .WithMetrics(m =>
            {
                foreach (var meter in meters) m.AddMeter(meter);
                m.AddPrometheusExporter();
                if (otlp) m.AddOtlpExporter();
            })
            .WithTracing(t =>
            {
                // The caller's request span (continued from its traceparent) is the parent of ours; HttpClient
                // then sends ours on to the upstream. Without an exporter the spans only carry the context.
                t.AddAspNetCoreInstrumentation(o => o.Filter = ctx => ctx.Request.Path != MetricsPath);
                foreach (var source in activitySources) t.AddSource(source);
                if (otlp) t.AddOtlpExporter();
            });
        return services;
    }

    /// <summary>
    /// GET /metrics in Prometheus text format. A request that reached a loopback address is served as is (only
    /// this machine can make one); from anywhere else it must pass <paramref name="authorized"/>, the host's own
    /// protection (a portal API token, the admin token), or gets 401.
    /// </summary>
    public static IEndpointConventionBuilder MapShadowMcpMetrics(this IEndpointRouteBuilder endpoints, Func<HttpContext, bool> authorized) =>
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (ctx, next) =>
        {
            if (MetricsAccess.Allowed(ctx, authorized))
            {
                await next(ctx);
                return;
            }
            ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
            ctx.Response.Headers.WWWAuthenticate = "Bearer realm=\"shadowmcp-metrics\"";
        }), optionsName: null);
}
