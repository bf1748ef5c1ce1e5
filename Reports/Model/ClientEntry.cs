namespace ShadowMcp.Reports.Model;

/// <summary>A client address and its reverse DNS name (null when none was found or lookups are off).</summary>
public sealed record ClientEntry(string Address, string? Name);
