namespace ShadowMcp.Cli.Siem;

/// <summary>The sink options as given: `--out FILE`, `--to URL`, `--ca FILE`, `--hec-token-file FILE`, `--syslog-max-bytes N`.</summary>
internal sealed record SiemSinkSettings(string? OutFile, string? To, string? CaFile, string? HecTokenFile,
    int SyslogMaxBytes = SyslogFrame.DefaultMaxMessageBytes);

/// <summary>The sink options do not describe a sink that can be built (bad URL, no token, unreadable CA).</summary>
internal sealed class SiemSinkSettingsException(string message) : Exception(message);
