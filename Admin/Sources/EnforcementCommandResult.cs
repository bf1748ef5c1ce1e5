namespace ShadowMcp.Admin.Sources;

/// <summary>The outcome of plan, apply or rollback, with a sentence for the admin.</summary>
public sealed record EnforcementCommandResult(bool Succeeded, string Message)
{
    public static EnforcementCommandResult Ok(string message) => new(true, message);

    public static EnforcementCommandResult Failed(string message) => new(false, message);
}
