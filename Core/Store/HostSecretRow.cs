namespace ShadowMcp.Core.Store;

/// <summary>A plaintext credential a host's agent config holds: its kind and place. There is no value column.</summary>
public sealed class HostSecretRow
{
    public long Id { get; set; }
    public long HostScanId { get; set; }
    public required string Agent { get; set; }
    public required string ConfigPath { get; set; }
    public required string Server { get; set; }
    public required string Location { get; set; }
    public required string Kind { get; set; }
}
