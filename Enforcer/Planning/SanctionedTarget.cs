namespace ShadowMcp.Enforcer.Planning;

/// <summary>
/// One concrete thing that must keep working: a name (a "*." pattern covers subdomains), optionally one path
/// below it, or an address with an optional port. Built from the portal, the allow list and the sanctioned
/// endpoints, plus what the store knows they resolve to.
/// </summary>
internal sealed record SanctionedTarget(string? Name, string? Address, int? Port, string? Path, string Why);
