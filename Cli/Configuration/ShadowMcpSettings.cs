using System.Collections;
using Microsoft.Extensions.Configuration;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Cli.Configuration;

/// <summary>
/// The settings layers `serve` and `report` share, each overriding the one before: defaults, appsettings.json,
/// section environment variables (Reports__Cron), SHADOWMCP_ environment variables, then the command's flags.
/// </summary>
internal static class ShadowMcpSettings
{
    public static IConfigurationBuilder AddLayers(
        this IConfigurationBuilder builder, string? settingsFile, IReadOnlyDictionary<string, string?> flags, IDictionary environment)
    {
        builder.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:8080",
            ["Sensor:Database"] = StorePaths.Default,
            ["Reports:Database"] = StorePaths.Default,
            ["Admin:DbPath"] = StorePaths.Default,
            ["Portal:Database"] = StorePaths.Default,
            ["Hosts:Database"] = StorePaths.Default,
        });
        // Absolute, so a plain ConfigurationBuilder (no content root) reads it from the working directory too.
        builder.AddJsonFile(Path.GetFullPath(settingsFile ?? "appsettings.json"), optional: settingsFile is null, reloadOnChange: false);
        builder.AddInMemoryCollection(SectionEnvironmentVariables.Read(environment));
        builder.AddInMemoryCollection(PrefixedEnvironmentVariables(environment));
        builder.AddInMemoryCollection(flags);
        return builder;
    }

    /// <summary>The keys --db sets: every store path `serve` uses.</summary>
    public static readonly string[] DatabaseKeys = ["Sensor:Database", "Reports:Database", "Admin:DbPath", "Portal:Database", "Hosts:Database"];

    /// <summary>SHADOWMCP_Reports__Cron as Reports:Cron (what AddEnvironmentVariables("SHADOWMCP_") reads, from the given environment).</summary>
    private static Dictionary<string, string?> PrefixedEnvironmentVariables(IDictionary environment)
    {
        const string Prefix = "SHADOWMCP_";
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry variable in environment)
        {
            if (variable.Key is string name && name.Length > Prefix.Length && name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
                settings[name[Prefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = variable.Value as string;
        }
        return settings;
    }
}
