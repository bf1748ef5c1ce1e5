using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShadowMcp.Admin;
using ShadowMcp.Admin.Sources;
using ShadowMcp.Reports.Sources;
using ShadowMcp.Cli.Configuration;
using ShadowMcp.Cli.Hosting;
using ShadowMcp.Core.Store;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Hosting;
using ShadowMcp.Portal.Telemetry;
using ShadowMcp.Cli.Scanning;
using ShadowMcp.Reports.Scheduling;
using ShadowMcp.Core;
using ShadowMcp.Classifier;
using ShadowMcp.Cli.Fleet;
using ShadowMcp.Hosts.Fleet;
using ShadowMcp.Hosts.Verdicts;

namespace ShadowMcp.Cli.Commands;

/// <summary>
/// `shadowmcp serve`: the one process a network admin deploys. It runs the sensor (live interface and/or a watched
/// capture directory), the weekly report scheduler, the portal and the admin UI on one .NET Generic Host.
/// Configuration: appsettings.json, then section environment variables (Reports__Cron=..., as the docs and the
/// systemd example write them), then SHADOWMCP_* environment variables (SHADOWMCP_Sensor__Interface=eth1), then these
/// flags, each overriding the one before.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var settings = new Option<string?>("--settings") { Description = "appsettings.json to read (default: ./appsettings.json if present)" };
        var urls = new Option<string?>("--urls") { Description = "Listen addresses (default http://127.0.0.1:8080)" };
        var db = CommonOptions.Db();
        var iface = new Option<string?>("--interface", "-i") { Description = "Capture live on this interface" };
        var watch = new Option<string?>("--watch") { Description = "Scan capture files dropped into this directory" };
        var reports = new Option<string?>("--reports-dir") { Description = "Write scheduled reports here" };
        var config = CommonOptions.Config();
        var portalConfig = new Option<string?>("--portal-config") { Description = "Run the governed MCP portal with this config file" };
        var portalUrls = new Option<string?>("--portal-urls") { Description = $"Portal listen addresses (default {PortalHost.DefaultUrl})" };
        var enforcePolicy = new Option<string?>("--enforce-policy") { Description = "Enforcement policy file: enables plan/apply/rollback in the admin UI and block state in reports" };
        var cmd = new Command("serve", "Run the sensor, report scheduler, portal and admin UI in one process")
        {
            settings, urls, db, iface, watch, reports, config, portalConfig, portalUrls, enforcePolicy,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var overrides = new Dictionary<string, string?>();
            void Set(string key, string? value) { if (value is not null) overrides[key] = value; }
            var dbPath = parse.GetValue(db);
            foreach (var key in ShadowMcpSettings.DatabaseKeys) Set(key, dbPath);
            Set("Sensor:Interface", parse.GetValue(iface));
            Set("Sensor:WatchDirectory", parse.GetValue(watch));
            Set("Sensor:DetectionConfig", parse.GetValue(config));
            Set("Reports:OutputDirectory", parse.GetValue(reports));
            Set("Admin:ReportsDirectory", parse.GetValue(reports));
            Set("urls", parse.GetValue(urls));
            Set("Portal:Config", parse.GetValue(portalConfig));
            Set("Portal:Urls", parse.GetValue(portalUrls));
            Set("Enforcer:Policy", parse.GetValue(enforcePolicy));
            // Running the portal too: its calls want server GC, which only a restart can give (Hosting/ServerGcRelaunch).
            if (RunsPortal(parse.GetValue(settings), overrides)) ServerGcRelaunch.Now(Console.Error);
            var app = Build(parse.GetValue(settings), overrides, out var portalConfigFile);
            // The portal keeps its own listener: its Host/Origin guard and default-deny authentication then
            // govern /mcp alone, and the admin UI keeps its own sign-in.
            if (app is null) return (int)ExitCode.Usage;
            WebApplication? portal = null;
            if (portalConfigFile is not null)
                portal = PortalHost.Build(portalConfigFile, app.Configuration["Portal:Database"] ?? StorePaths.Default,
                    [.. (app.Configuration["Portal:Urls"] ?? PortalHost.DefaultUrl).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]);
            await Task.WhenAll(portal is null ? [app.RunAsync(ct)] : [app.RunAsync(ct), portal.RunAsync(ct)]);
            return 0;
        });
        return cmd;
    }

    /// <summary>Whether these settings name a portal config, read the way <see cref="Build(string?, IReadOnlyDictionary{string, string?}, out PortalConfig?)"/> reads them.</summary>
    private static bool RunsPortal(string? settingsFile, IReadOnlyDictionary<string, string?> overrides)
    {
        try
        {
            var configuration = new ConfigurationBuilder().AddLayers(settingsFile, overrides, Environment.GetEnvironmentVariables()).Build();
            return configuration["Portal:Config"] is { Length: > 0 };
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException)
        {
            return false; // Build reads the same file next and names what is wrong with it
        }
    }

    internal static WebApplication? Build(string? settingsFile, IReadOnlyDictionary<string, string?> overrides, out PortalConfig? portalConfig) =>
        Build(settingsFile, overrides, Environment.GetEnvironmentVariables(), out portalConfig);

    /// <summary><paramref name="environment"/> stands in for the process environment (tests pass their own).</summary>
    internal static WebApplication? Build(
        string? settingsFile, IReadOnlyDictionary<string, string?> overrides, System.Collections.IDictionary environment, out PortalConfig? portalConfig)
    {
        portalConfig = null;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddLayers(settingsFile, overrides, environment);
        builder.WebHost.UseUrls(builder.Configuration["urls"]!);
        // Request lines carry query strings, and the OIDC sign-in's answer holds its one-time code and state there.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Host.UseSystemd();

        if (builder.Configuration["Portal:Config"] is { Length: > 0 } portalFile)
        {
            try
            {
                portalConfig = PortalConfigLoader.Load(portalFile);
            }
            catch (PortalConfigException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return null;
            }
            // The report and the admin UI read the portal's audit log and config; registered before their
            // defaults so these win.
            var sources = new PortalDataSources(portalConfig, builder.Configuration["Portal:Database"] ?? StorePaths.Default);
            builder.Services.AddSingleton<IPortalActivitySource>(sources);
            builder.Services.AddSingleton<IAuditChainSource>(sources);
            builder.Services.AddSingleton<IPortalAdminSource>(sources);
            // The admin UI's OIDC sign-in trusts the portal's issuer unless Admin:Oidc:Authority names another.
            if (portalConfig.Auth.Jwt?.Issuer is { Length: > 0 } issuer)
                builder.Services.PostConfigure<AdminOptions>(o => o.Oidc.Authority ??= issuer);
        }
        if (builder.Configuration["Enforcer:Policy"] is { Length: > 0 } policyFile)
        {
            var detectionConfig = builder.Configuration["Sensor:DetectionConfig"];
            var enforcement = new EnforcementDataSources(policyFile, builder.Configuration["Sensor:Database"] ?? StorePaths.Default,
                () => [.. SanctionedSources.Collect(ShadowMcpConfig.Load(detectionConfig))], TimeProvider.System);
            builder.Services.AddSingleton<IEnforcementAdminSource>(enforcement);
            builder.Services.AddSingleton<IEnforcementStateSource>(enforcement);
        }
        builder.Services.Configure<SensorOptions>(builder.Configuration.GetSection(SensorOptions.Section));
        builder.Services.AddHostedService<SensorService>();
        builder.Services.AddSingleton<SensorMetrics>();
        // The portal, when run, has its own listener and its own /metrics; this one covers the rest of the process.
        builder.Services.AddShadowMcpTelemetry("shadowmcp-serve",
            [SensorMetrics.MeterName, SchedulerMetrics.MeterName, ShadowMcp.Enforcer.Engine.EnforcerMetrics.MeterName], []);
        builder.Services.AddShadowMcpReports(builder.Configuration);
        builder.Services.AddShadowMcpAdmin(builder.Configuration);
        AddHostIngest(builder);
        AddSensorIngest(builder);

        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        // Off loopback, the admin UI's protection: its session or its bearer token (README "Metrics").
        app.MapShadowMcpMetrics(ShadowMcp.Admin.Auth.AdminAccess.IsAdmin);
        app.MapShadowMcpHostIngest();
        app.MapShadowMcpSensorIngest();
        app.MapShadowMcpAdmin("/admin");
        app.MapGet("/", () => Results.Redirect("/admin"));
        return app;
    }

    /// <summary>
    /// POST /api/sensors/results for `scan`/`sensor --report-to`, with its own tokens (Sensors:IngestTokens); the
    /// findings are judged again with serve's rules and sanctioned list, like its own sensor's.
    /// </summary>
    private static void AddSensorIngest(WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SensorIngestOptions>().Bind(builder.Configuration.GetSection(SensorIngestOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<SensorIngestOptions>, SensorIngestOptionsValidator>();
        var detectionConfig = builder.Configuration["Sensor:DetectionConfig"];
        var rules = builder.Configuration["Sensor:Rules"];
        var database = builder.Configuration["Sensor:Database"] ?? StorePaths.Default;
        // Factories, so the host disposes the store at shutdown and the token hashes are computed once.
        builder.Services.AddSingleton(_ => new SensorResultStore(database));
        builder.Services.AddSingleton(sp =>
        {
            var sensors = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SensorIngestOptions>>().Value;
            return new SensorIngestEndpoint.Tokens(new SensorTokens(sensors.IngestTokens, sensors.SensorTokens));
        });
        builder.Services.AddSingleton(sp => new SensorIngestEndpoint.Slots(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SensorIngestOptions>>().Value.MaxConcurrentBatches));
        builder.Services.AddSingleton(new SensorIngestEndpoint.Judge(() =>
        {
            try
            {
                var config = ShadowMcpConfig.Load(detectionConfig);
                return McpClassifier.Create(rules ?? RulesLocator.Require(),
                    SanctionedSources.ClassifierOptions(config));
            }
            catch (Exception ex) when (ex is ConfigException or ShadowMcp.Classifier.Loading.RuleLoadException or IOException)
            {
                // Default deny: without readable settings nothing is judged, so nothing is stored as sanctioned.
                return null;
            }
        }));
    }

    /// <summary>
    /// POST /api/hosts/inventory for `host scan --report-to`, with its own tokens (Hosts:IngestTokens); verdicts
    /// come from the same detection settings as the sensor's.
    /// </summary>
    private static void AddHostIngest(WebApplicationBuilder builder)
    {
        builder.Services.Configure<HostIngestOptions>(builder.Configuration.GetSection(HostIngestOptions.Section));
        var detectionConfig = builder.Configuration["Sensor:DetectionConfig"];
        builder.Services.AddShadowMcpHostIngest(() =>
        {
            try
            {
                var config = ShadowMcpConfig.Load(detectionConfig);
                return new HostVerdicts([.. SanctionedSources.Collect(config)], [.. config.SanctionedPackages()]);
            }
            catch (ConfigException)
            {
                // Default deny: with unreadable settings nothing is sanctioned.
                return HostVerdicts.None;
            }
        });
    }
}
