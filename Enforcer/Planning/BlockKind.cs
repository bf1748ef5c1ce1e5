namespace ShadowMcp.Enforcer.Planning;

/// <summary>What a block entry names. Each backend handles the kinds it can express.</summary>
public enum BlockKind
{
    /// <summary>Every port of one IP address (nftables).</summary>
    Address,
    /// <summary>One IP address and TCP port (nftables).</summary>
    AddressPort,
    /// <summary>A hostname and its subdomains (DNS backends, Squid, Cloudflare).</summary>
    Host,
    /// <summary>A hostname plus URL path prefix (Squid).</summary>
    HostPath,
}
