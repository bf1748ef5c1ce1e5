using System.CommandLine;
using Microsoft.Extensions.Configuration;
using ShadowMcp.Cli.Configuration;
using ShadowMcp.Cli.Hosting;
using ShadowMcp.Core.Store;
using ShadowMcp.Enforcer.Policy;
using ShadowMcp.Portal.Config;
using ShadowMcp.Reports.Building;
using ShadowMcp.Reports.Periods;

namespace ShadowMcp.Cli.Commands;

/// <summary>
/// Gives `report` the portal and enforcement inputs `serve` has, by the same flags and settings keys (Portal:Config,
/// Portal:Database, Enforcer:Policy, Sensor:DetectionConfig; appsettings.json and environment variables alike), so
/// the report run by hand shows the same block and portal figures as the scheduled one instead of n/a.
/// </summary>
internal static class ReportInputs
{
    public static Func<ParseResult, string?, ReportSources, ReportSources> AddTo(Command report)
    {
        var settings = new Option<string?>("--settings") { Description = "appsettings.json to read, as for serve (default: ./appsettings.json if present)" };
        var config = CommonOptions.Config();
        var portalConfig = new Option<string?>("--portal-config") { Description = "The portal's config file: portal calls, DLP hits, conversions and the audit chain in the report" };
        var enforcePolicy = new Option<string?>("--enforce-policy") { Description = "Enforcement policy file: block state per server in the report" };
        foreach (var option in new Option[] { settings, config, portalConfig, enforcePolicy }) report.Options.Add(option);

        return (parse, db, sources) =>
        {
            var flags = new Dictionary<string, string?>();
            void Set(string key, string? value) { if (value is not null) flags[key] = value; }
            foreach (var key in ShadowMcpSettings.DatabaseKeys) Set(key, db);
            Set("Sensor:DetectionConfig", parse.GetValue(config));
            Set("Portal:Config", parse.GetValue(portalConfig));
            Set("Enforcer:Policy", parse.GetValue(enforcePolicy));
            IConfigurationRoot settingsRoot;
            try
            {
                settingsRoot = new ConfigurationBuilder().AddLayers(parse.GetValue(settings), flags, Environment.GetEnvironmentVariables()).Build();
            }
            catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or FormatException)
            {
                throw new ReportInputException($"--settings: {ex.Message}");
            }
            return WithSources(settingsRoot, sources);
        };
    }

    internal static ReportSources WithSources(IConfiguration settings, ReportSources sources)
    {
        if (settings["Reports:TriageOverdueDays"] is { Length: > 0 } overdue)
        {
            if (!int.TryParse(overdue, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days)
                || days is < 1 or > Reports.Scheduling.ReportsOptionsDefaults.MaxTriageOverdueDays)
                throw new ReportInputException($"Reports:TriageOverdueDays '{overdue}' must be 1 to {Reports.Scheduling.ReportsOptionsDefaults.MaxTriageOverdueDays}.");
            sources = sources with { TriageOverdueDays = days };
        }
        if (settings["Portal:Config"] is { Length: > 0 } portalFile)
        {
            PortalConfig portal;
            try
            {
                portal = PortalConfigLoader.Load(portalFile);
            }
            catch (PortalConfigException ex)
            {
                throw new ReportInputException(ex.Message);
            }
            var portalSources = new PortalDataSources(portal, settings["Portal:Database"] ?? StorePaths.Default);
            sources = sources with { Portal = portalSources, Audit = portalSources };
        }
        if (settings["Enforcer:Policy"] is { Length: > 0 } policyFile)
        {
            var detectionConfig = settings["Sensor:DetectionConfig"];
            try
            {
                // Read now so a bad policy or settings file is a clear input error, not a failure halfway through the report.
                _ = PolicyLoader.LoadFile(policyFile);
                var sanctioned = SanctionedSources.Collect(ShadowMcpConfig.Load(detectionConfig)).ToList();
                sources = sources with
                {
                    Enforcement = new EnforcementDataSources(policyFile, settings["Sensor:Database"] ?? StorePaths.Default, () => sanctioned, TimeProvider.System),
                };
            }
            catch (Exception ex) when (ex is PolicyException or ConfigException)
            {
                throw new ReportInputException(ex.Message);
            }
        }
        return sources;
    }
}
