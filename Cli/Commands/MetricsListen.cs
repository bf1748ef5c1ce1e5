using System.CommandLine;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShadowMcp.Portal.Telemetry;

namespace ShadowMcp.Cli.Commands;

/// <summary>
/// `--metrics-listen 127.0.0.1:PORT` for commands that have no web host of their own (`sensor`): a small host that
/// serves /metrics there. Loopback only: this listener has no credentials to check, so only this machine may
/// scrape it (a remote Prometheus goes through an SSH tunnel or a local agent; README "Metrics").
/// With OTEL_EXPORTER_OTLP_ENDPOINT set the meters are exported over OTLP too, with or without the listener.
/// </summary>
internal static class MetricsListen
{
    public static Option<string?> Option() => new("--metrics-listen")
    {
        Description = "Serve Prometheus /metrics on this loopback address (127.0.0.1:PORT or [::1]:PORT)",
    };

    /// <summary>The loopback endpoint, or null with the reason it is not one.</summary>
    public static IPEndPoint? Parse(string text, out string? error)
    {
        error = null;
        if (!IPEndPoint.TryParse(text, out var endpoint) || endpoint.Port == 0)
            error = $"--metrics-listen '{text}' is not an address with a port (127.0.0.1:9464)";
        else if (!IPAddress.IsLoopback(endpoint.Address))
            error = $"--metrics-listen '{text}' is not a loopback address: /metrics has no authentication here, so it listens on 127.0.0.1 or ::1 only";
        return error is null ? endpoint : null;
    }

    /// <summary>Starts the metrics host (null when there is neither a listener nor an OTLP endpoint to feed).</summary>
    public static IHost? Start(IPEndPoint? listen, string serviceName, params string[] meters)
    {
        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ShadowMcpTelemetry.OtlpEndpointVariable));
        if (listen is null && !otlp) return null;
        if (listen is null)
        {
            var plain = Host.CreateApplicationBuilder();
            plain.Logging.ClearProviders();
            plain.Services.AddShadowMcpTelemetry(serviceName, meters, []);
            var host = plain.Build();
            host.Start();
            return host;
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(listen));
        builder.Services.AddShadowMcpTelemetry(serviceName, meters, []);
        var app = builder.Build();
        // Loopback is enforced at parse time; nothing else is ever authorized on this listener.
        app.MapShadowMcpMetrics(_ => false);
        app.Start();
        return app;
    }
}
