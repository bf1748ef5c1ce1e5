using Microsoft.Extensions.Logging;

namespace ShadowMcp.Cli.Siem;

/// <summary>Builds the sink the options name: stdout, a file, syslog over TCP or TLS, or a Splunk HEC collector.</summary>
internal static class SiemSinks
{
    /// <exception cref="SiemSinkSettingsException">The options do not name a usable sink.</exception>
    public static ISiemSink Create(SiemSinkSettings settings, TimeProvider time, ILoggerFactory logs)
    {
        if (settings.To is null) return settings.OutFile is null ? JsonLinesSink.Stdout() : JsonLinesSink.AppendTo(settings.OutFile);
        throw new SiemSinkSettingsException($"--to {settings.To}: not a syslog:// , syslog+tls:// or http(s):// URL");
    }
}
