namespace ShadowMcp.Enforcer.Policy;

/// <summary>The governed portal: never blocked, and the redirect target.</summary>
public sealed record PortalSettings(string? Url, IReadOnlyList<string> Hosts, IReadOnlyList<string> Addresses);
