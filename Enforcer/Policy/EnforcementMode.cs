namespace ShadowMcp.Enforcer.Policy;

public enum EnforcementMode
{
    /// <summary>Refuse: NXDOMAIN, dropped packets, proxy deny.</summary>
    Block,
    /// <summary>Name-based backends answer with the portal so users land on the sanctioned path.</summary>
    Redirect,
}
