namespace ShadowMcp.Cli;

/// <summary>Process exit codes; stable for scripts and pipelines.</summary>
public enum ExitCode
{
    Success = 0,
    /// <summary>`--fail-on` matched a finding.</summary>
    FindingsFailOn = 1,
    /// <summary>A capture file is missing, not a capture, truncated or corrupt (results so far are still kept).</summary>
    InvalidInput = 2,
    /// <summary>A rule file does not lint, or a rule's own tests fail.</summary>
    InvalidRules = 3,
    /// <summary>The store cannot be opened or written.</summary>
    StoreError = 4,
    /// <summary>Bad command-line usage or configuration.</summary>
    Usage = 64,
}
