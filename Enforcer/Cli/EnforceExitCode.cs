namespace ShadowMcp.Enforcer.Cli;

/// <summary>Exit codes of <c>shadowmcp enforce</c>.</summary>
public enum EnforceExitCode
{
    Ok = 0,
    /// <summary>At least one backend failed; the others were still handled.</summary>
    BackendFailed = 1,
    /// <summary>Bad policy or allow-list file, or a plan that would block a sanctioned endpoint. Nothing changed.</summary>
    Rejected = 2,
    /// <summary>The store could not be opened.</summary>
    StoreError = 3,
}
