namespace ShadowMcp.Core.Inventory;

/// <summary>A plaintext credential in a host's agent config: its kind and where it sits. No value is ever stored.</summary>
public sealed record HostScanSecret(string Agent, string ConfigPath, string Server, string Location, string Kind);
