using Microsoft.Extensions.Logging;

namespace ShadowMcp.Cli.Siem;

/// <summary>Builds the sink the options name: stdout, a file, syslog over TCP or TLS, or a Splunk HEC collector.</summary>
internal static class SiemSinks
{
    /// <summary>How long one batch may take to be acknowledged before it counts as failed.</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    /// <exception cref="SiemSinkSettingsException">The options do not name a usable sink.</exception>
    public static ISiemSink Create(SiemSinkSettings settings, TimeProvider time, ILoggerFactory logs)
    {
        if (settings.To is null) return settings.OutFile is null ? JsonLinesSink.Stdout() : JsonLinesSink.AppendTo(settings.OutFile);
        if (!Uri.TryCreate(settings.To, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new SiemSinkSettingsException($"--to {settings.To}: not a URL (syslog://host:port, syslog+tls://host:port, https://host:port)");
        switch (uri.Scheme)
        {
            case "syslog":
            case "syslog+tcp":
                return new SyslogSink(uri.IdnHost, uri.Port > 0 ? uri.Port : 514, null, SendTimeout, settings.SyslogMaxBytes);
            case "syslog+tls":
                return new SyslogSink(uri.IdnHost, uri.Port > 0 ? uri.Port : 6514, SinkTls.ClientOptions(uri.IdnHost, settings.CaFile), SendTimeout,
                    settings.SyslogMaxBytes);
            case "http":
            case "https":
                return new HecSink(uri, HecSink.Token(settings.HecTokenFile), settings.CaFile, SendTimeout);
            default:
                throw new SiemSinkSettingsException($"--to {uri.GetLeftPart(UriPartial.Authority)}: unknown scheme '{uri.Scheme}' (syslog, syslog+tls, http, https)");
        }
    }
}
