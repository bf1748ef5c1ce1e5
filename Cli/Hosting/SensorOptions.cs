namespace ShadowMcp.Cli.Hosting;

/// <summary>Section "Sensor" of the all-in-one host: a live interface, a watched pcap directory, or both.</summary>
public sealed class SensorOptions
{
    public const string Section = "Sensor";

    /// <summary>Live interface to capture on (needs libpcap and root/CAP_NET_RAW); null for none.</summary>
    public string? Interface { get; set; }
    public string Filter { get; set; } = "tcp or udp port 53";
    /// <summary>Directory where capture files are dropped (e.g. by a rotating tcpdump); each new file is scanned once.</summary>
    public string? WatchDirectory { get; set; }
    public int PollSeconds { get; set; } = 10;
    public int FlushSeconds { get; set; } = Commands.SensorCommand.DefaultFlushSeconds;
    /// <summary>Classify TLS flows without keys by their shape (docs/shape-classifier.md), live and in watched files.</summary>
    public bool Shape { get; set; } = true;
    /// <summary>Worker threads for the live capture, as <c>sensor --threads</c> (default 1; README "Performance").</summary>
    public int Threads { get; set; } = 1;
    /// <summary>Store path; null means the default store.</summary>
    public string? Database { get; set; }
    /// <summary>Rules directory; null means the shipped rules.</summary>
    public string? Rules { get; set; }
    /// <summary>Detection settings file (sanctioned endpoints); null means $SHADOWMCP_CONFIG or ./shadowmcp.json.</summary>
    public string? DetectionConfig { get; set; }
}
