namespace ShadowMcp.Portal.Cli;

/// <summary>Exit codes of the portal and audit commands.</summary>
public enum PortalExitCode
{
    Ok = 0,
    Error = 1,
    Usage = 2,
    NotFound = 3,
    TamperDetected = 4,
}
