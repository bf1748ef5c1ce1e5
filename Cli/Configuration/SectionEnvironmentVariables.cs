using System.Collections;

namespace ShadowMcp.Cli.Configuration;

/// <summary>
/// The unprefixed environment variable form the docs and the systemd example use (<c>Reports__Cron</c>,
/// <c>Reports__TimeZone</c>): only variables under <c>serve</c>'s own sections are read, so PATH, HOME or a stray
/// URLS never become settings. The <c>SHADOWMCP_</c> form is added after these and wins when both are set.
/// </summary>
internal static class SectionEnvironmentVariables
{
    /// <summary>The configuration sections `serve` binds.</summary>
    public static readonly string[] Sections = ["Reports", "Sensor", "Sensors", "Admin", "Portal", "Hosts", "Enforcer"];

    /// <summary>Configuration keys ("Reports:Cron") from variables such as <c>Reports__Cron</c> in <paramref name="environment"/>.</summary>
    public static Dictionary<string, string?> Read(IDictionary environment)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry variable in environment)
        {
            if (variable.Key is not string name || !IsUnderSection(name)) continue;
            settings[name.Replace("__", ":", StringComparison.Ordinal)] = variable.Value as string;
        }
        return settings;
    }

    private static bool IsUnderSection(string name) =>
        Sections.Any(s => name.Length > s.Length + 2
            && name.StartsWith(s, StringComparison.OrdinalIgnoreCase)
            && name.AsSpan(s.Length).StartsWith("__", StringComparison.Ordinal));
}
