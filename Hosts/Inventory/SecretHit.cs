namespace ShadowMcp.Hosts.Inventory;

/// <summary>
/// A credential written into an agent's config. Holds what it is and where, never the value: the value is dropped
/// the moment it is recognised, so no output, log or store row can carry it.
/// </summary>
public sealed record SecretHit(string Agent, string ConfigPath, string Server, string Location, string Kind)
{
    /// <summary>How every output shows the value.</summary>
    public const string Redacted = "[redacted]";
}
